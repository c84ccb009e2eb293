import { ingestCompressions, isSourceTableName, type SourceTableName } from '@totes/pipeline';
import { z } from 'zod';

const positive = (fallback: number) => z.number().int().positive().default(fallback);

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Resolves the totesys connection string once, e.g. from Secrets Manager. */
export type ConnectionStringSource = () => Promise<string>;

/**
 * The configuration of one table's extractor, with every default in one place. Durations are
 * in milliseconds.
 */
export const ExtractConfig = z.object({
  /** The source table this function extracts. */
  table: z
    .string()
    .refine(isSourceTableName, { message: 'not a source table of the topology' })
    .transform((name) => name as SourceTableName),
  /** The bucket that receives the JSON Lines objects (and the extractor's state, under `_state/`). */
  ingestBucket: z.string().min(3),
  /**
   * The topic the ingest bucket notifies (ingest-events): an object a run finds already written
   * is announced there again, in case the crash that left it also lost its notification. Without
   * it (and without an `announcer` given), existing objects are left to reconciliation.
   */
  ingestTopicArn: z.string().min(1).optional(),
  /** The table's FIFO queue, where a run that ran out of time enqueues its continuation. */
  extractQueueUrl: z.string().min(1),
  /** The totesys connection string, or a function that resolves it (called at most once per success). */
  totesysUrl: z.union([
    z.string().min(1),
    z.custom<ConnectionStringSource>((value) => typeof value === 'function', 'expected a function'),
  ]),
  /**
   * How ingest objects are compressed: zstd (`.jsonl.zst`), or gzip (`.jsonl.gz`), which every
   * stage still reads (docs/decisions/0003-zstd-ingest-objects.md).
   */
  ingestCompression: z.enum(ingestCompressions).default(ingestCompressions[0]),
  /** Path-style S3 addressing (the local emulator needs it). */
  forcePathStyle: z.boolean().default(false),
  /** Rows per object; one chunk is also the most a crash can make the extractor redo. */
  chunkRows: positive(50_000),
  /** Rows one COPY statement may return (several chunks): each statement costs a scan and a sort. */
  queryRows: positive(1_000_000),
  /** An invocation stops starting new chunks after this long and enqueues a continuation. */
  timeBudgetMs: positive(240_000),
  /** Every statement on totesys is cancelled after this long. */
  statementTimeoutMs: positive(120_000),
  /** Primary-key ids per sweep bucket. */
  sweepBucketRows: positive(1_000),
  /**
   * Rows are taken only while their `last_updated` is this far before the start of the oldest
   * writing transaction (and before now): covers the gap between an application stamping a row
   * and its transaction writing it, and clock skew between the application and the database.
   */
  commitMarginMs: positive(5_000),
  /**
   * When the extraction role cannot see other sessions' transactions (it lacks
   * `pg_read_all_stats`), rows are taken only once they are this old.
   */
  hiddenSessionsLagMs: positive(300_000),
  /** The zone totesys's naive timestamps are written in. */
  sourceTimeZone: z.string().refine(isTimeZone, { message: 'not an IANA time zone' }).default('UTC'),
});

/** What {@link createExtractHandler} is given; omitted settings take their defaults. */
export type ExtractConfigInput = z.input<typeof ExtractConfig>;

/** A validated configuration, defaults filled in. */
export type ExtractConfig = z.output<typeof ExtractConfig>;
