import { z } from 'zod';
import { envBoolean, envInteger, exactlyOneOf } from './environment-variables';
import { extractorDefaults, isTimeZone, type SharedExtractorSettings } from './extractor-settings';
import { ingestCompressions } from './ingest-key';

/** Where an extractor finds totesys: a connection string (local runs) or a secret (AWS). */
export type TotesysConnection = { readonly url: string } | { readonly secretArn: string };

/** Where an extractor's resources are: its bucket, queue, topic and totesys. */
export interface ExtractorResources {
  /** The bucket that receives the JSON Lines objects (and the extractor's state, under `_state/`). */
  readonly ingestBucket: string;
  /** The extract FIFO queue, where a run that ran out of time enqueues its continuation (group = its table). */
  readonly extractQueueUrl: string;
  /** The ingest-events topic, where an object found already written is announced again. */
  readonly ingestTopicArn: string;
  /** The totesys connection. */
  readonly source: TotesysConnection;
  /** Path-style S3 addressing (the local emulator needs it). */
  readonly forcePathStyle: boolean;
}

const seconds = (milliseconds: number) => milliseconds / 1000;

/**
 * The environment of the extractor function, one for every source table (each request names its own).
 *
 * The totesys connection comes from exactly one of `TOTESYS_URL` (local runs) and
 * `TOTESYS_SECRET_ARN` (AWS: a Secrets Manager secret with host, port, username, password and
 * dbname). Parsed into the extractor's settings (camelCase, durations in milliseconds) and where
 * its parts are; an unset tuning variable takes its value from `extractorDefaults`.
 */
export const extractorEnvironment = z
  .object({
    INGEST_BUCKET: z.string().min(3),
    EXTRACT_QUEUE_URL: z.string().min(1),
    /** The ingest-events topic, where an object found already written is announced again. */
    INGEST_TOPIC_ARN: z.string().min(1),
    TOTESYS_URL: z.string().min(1).optional(),
    TOTESYS_SECRET_ARN: z.string().min(1).optional(),
    CHUNK_ROWS: envInteger(extractorDefaults.chunkRows),
    TIME_BUDGET_SECONDS: envInteger(seconds(extractorDefaults.timeBudgetMs)),
    STATEMENT_TIMEOUT_MS: envInteger(extractorDefaults.statementTimeoutMs),
    SWEEP_BUCKET_ROWS: envInteger(extractorDefaults.sweepBucketRows),
    COMMIT_MARGIN_MS: envInteger(extractorDefaults.commitMarginMs),
    HIDDEN_SESSIONS_LAG_SECONDS: envInteger(seconds(extractorDefaults.hiddenSessionsLagMs)),
    SOURCE_TIME_ZONE: z
      .string()
      .min(1)
      .refine(isTimeZone, { message: 'not an IANA time zone' })
      .default(extractorDefaults.sourceTimeZone),
    S3_FORCE_PATH_STYLE: envBoolean(false),
    INGEST_COMPRESSION: z.enum(ingestCompressions).default(extractorDefaults.ingestCompression),
  })
  .refine(...exactlyOneOf('TOTESYS_URL', 'TOTESYS_SECRET_ARN'))
  .transform((env): SharedExtractorSettings & ExtractorResources => ({
    ingestBucket: env.INGEST_BUCKET,
    extractQueueUrl: env.EXTRACT_QUEUE_URL,
    ingestTopicArn: env.INGEST_TOPIC_ARN,
    source: env.TOTESYS_URL ? { url: env.TOTESYS_URL } : { secretArn: env.TOTESYS_SECRET_ARN ?? '' },
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ingestCompression: env.INGEST_COMPRESSION,
    chunkRows: env.CHUNK_ROWS,
    queryRows: extractorDefaults.queryRows,
    timeBudgetMs: env.TIME_BUDGET_SECONDS * 1000,
    statementTimeoutMs: env.STATEMENT_TIMEOUT_MS,
    sweepBucketRows: env.SWEEP_BUCKET_ROWS,
    commitMarginMs: env.COMMIT_MARGIN_MS,
    hiddenSessionsLagMs: env.HIDDEN_SESSIONS_LAG_SECONDS * 1000,
    sourceTimeZone: env.SOURCE_TIME_ZONE,
  }));

/** The parsed {@link extractorEnvironment}: the extractor's settings and where its resources are. */
export type ExtractorEnvironment = z.output<typeof extractorEnvironment>;
