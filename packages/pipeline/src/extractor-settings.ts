import type { IngestCompression } from './ingest-key';
import type { SourceTableName } from './source-tables';

/**
 * The settings of the extraction of one table, as its factory takes them.
 *
 * Parsed once, at cold start, from the function's environment (`extractorEnvironment`); the
 * local stack and tests start from {@link extractorDefaults}. Durations are in milliseconds.
 */
export interface ExtractorSettings {
  /** The source table extracted: the table of the request being served. */
  readonly table: SourceTableName;
  /**
   * How ingest objects are compressed: zstd (`.jsonl.zst`), or gzip (`.jsonl.gz`), which every
   * stage still reads (docs/decisions/0003-zstd-ingest-objects.md).
   */
  readonly ingestCompression: IngestCompression;
  /** Rows per object; one chunk is also the most a crash can make the extractor redo. */
  readonly chunkRows: number;
  /** Rows one COPY statement may return (several chunks): each statement costs a scan and a sort. */
  readonly queryRows: number;
  /** An invocation stops starting new chunks after this long and enqueues a continuation. */
  readonly timeBudgetMs: number;
  /** Every statement on totesys is cancelled after this long. */
  readonly statementTimeoutMs: number;
  /** Primary-key ids per sweep bucket. */
  readonly sweepBucketRows: number;
  /**
   * How far before the oldest writing transaction's start (and before now) rows are taken.
   *
   * Covers the gap between an application stamping a row and its transaction writing it, and
   * clock skew between the application and the database.
   */
  readonly commitMarginMs: number;
  /**
   * How old rows must be before they are taken when other sessions are hidden.
   *
   * Applies when the extraction role cannot see other sessions' transactions (it lacks
   * `pg_read_all_stats`).
   */
  readonly hiddenSessionsLagMs: number;
  /** The IANA zone totesys's naive timestamps are written in. */
  readonly sourceTimeZone: string;
}

/** Every extractor setting but the table, as a function whose environment leaves it unset has it. */
export type SharedExtractorSettings = Omit<ExtractorSettings, 'table'>;

/** The defaults of {@link SharedExtractorSettings}. */
export const extractorDefaults = {
  ingestCompression: 'zstd',
  chunkRows: 50_000,
  queryRows: 1_000_000,
  timeBudgetMs: 240_000,
  statementTimeoutMs: 120_000,
  sweepBucketRows: 1_000,
  commitMarginMs: 5_000,
  hiddenSessionsLagMs: 300_000,
  sourceTimeZone: 'UTC',
} as const satisfies Omit<ExtractorSettings, 'table'>;

/** Whether `zone` is a time zone the runtime knows (`Europe/London`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
