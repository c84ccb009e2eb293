import { z } from 'zod';
import { envBoolean, envInteger, exactlyOneOf } from './environment-variables';
import { ingestCompressions } from './ingest-key';
import { isSourceTableName, type SourceTableName } from './source-tables';

/**
 * The environment of an extractor function, one per source table.
 *
 * The totesys connection comes from exactly one of `TOTESYS_URL` (local runs) and
 * `TOTESYS_SECRET_ARN` (AWS: a Secrets Manager secret with host, port, username, password and
 * dbname). Parsed into the extractor's settings (camelCase, durations in milliseconds).
 */
export const extractorEnvironment = z
  .object({
    TABLE: z
      .string()
      .refine(isSourceTableName, { message: 'not a source table of the topology' })
      .transform((name) => name as SourceTableName),
    INGEST_BUCKET: z.string().min(3),
    EXTRACT_QUEUE_URL: z.string().min(1),
    /** The ingest-events topic, where an object found already written is announced again. */
    INGEST_TOPIC_ARN: z.string().min(1),
    TOTESYS_URL: z.string().min(1).optional(),
    TOTESYS_SECRET_ARN: z.string().min(1).optional(),
    CHUNK_ROWS: envInteger(50_000),
    TIME_BUDGET_SECONDS: envInteger(240),
    STATEMENT_TIMEOUT_MS: envInteger(120_000),
    SWEEP_BUCKET_ROWS: envInteger(1_000),
    COMMIT_MARGIN_MS: envInteger(5_000),
    HIDDEN_SESSIONS_LAG_SECONDS: envInteger(300),
    SOURCE_TIME_ZONE: z.string().min(1).default('UTC'),
    S3_FORCE_PATH_STYLE: envBoolean(false),
    INGEST_COMPRESSION: z.enum(ingestCompressions).default(ingestCompressions[0]),
  })
  .refine(...exactlyOneOf('TOTESYS_URL', 'TOTESYS_SECRET_ARN'))
  .transform((env) => ({
    table: env.TABLE,
    ingestBucket: env.INGEST_BUCKET,
    extractQueueUrl: env.EXTRACT_QUEUE_URL,
    ingestTopicArn: env.INGEST_TOPIC_ARN,
    source: env.TOTESYS_URL
      ? ({ url: env.TOTESYS_URL } as const)
      : ({ secretArn: env.TOTESYS_SECRET_ARN ?? '' } as const),
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    ingestCompression: env.INGEST_COMPRESSION,
    chunkRows: env.CHUNK_ROWS,
    timeBudgetMs: env.TIME_BUDGET_SECONDS * 1000,
    statementTimeoutMs: env.STATEMENT_TIMEOUT_MS,
    sweepBucketRows: env.SWEEP_BUCKET_ROWS,
    commitMarginMs: env.COMMIT_MARGIN_MS,
    hiddenSessionsLagMs: env.HIDDEN_SESSIONS_LAG_SECONDS * 1000,
    sourceTimeZone: env.SOURCE_TIME_ZONE,
  }));

/** The parsed {@link extractorEnvironment}. */
export type ExtractorEnvironment = z.output<typeof extractorEnvironment>;
