import { z } from 'zod';
import type { SourceTableName } from './source-tables';
import { Watermark } from './watermark';

const compactTimestamp = z.string().regex(/^\d{8}T\d{9}$/);
// `<server>:<xid8>` (the server may be empty), or a bare `<xid8>` recorded before servers were.
const transactionMark = z.string().regex(/^(?:[\d.]*:)?\d{1,20}$/);

/**
 * What the extractor of one table remembers between runs.
 *
 * totesys is read-only to the pipeline, so this lives in the ingest bucket (see
 * {@link stateKey}), and each part is written only after the object it describes, so a crash in
 * between makes the next run redo that one chunk. The CLI reads it to show extraction progress.
 */
export const ExtractState = z.object({
  /** Event tables: the last row taken by incremental extraction; null before the first. */
  watermark: Watermark.nullable().default(null),
  /** Reference tables: the latest snapshot written, and its content hash. */
  snapshot: z.object({ key: z.string(), hash: z.string() }).nullable().default(null),
  /**
   * Event tables: bucket hashes as of the last sweep (or, before the first sweep, as the first
   * extraction read them), and how far the current sweep has got; `run` is null until a sweep
   * has run.
   */
  sweep: z
    .object({
      bucketRows: z.number().int().positive(),
      hashes: z.array(z.string().nullable()),
      /**
       * Which row versions each bucket held when its hash was taken (a hash of keys and `xmin`),
       * by bucket as `hashes`: a bucket whose versions are unchanged is not hashed again.
       */
      versions: z.array(z.string().nullable()).optional(),
      /**
       * A transaction of totesys (`<server>:<xid8>`) before which every row version is in the
       * record: a bucket holding no version written by it or later is as recorded, and the next
       * sweep hashes only the others. Set when a sweep (or the first extraction) has read every bucket.
       */
      writtenBefore: transactionMark.nullable().default(null),
      /** The same for the sweep under way, which becomes `writtenBefore` when it ends. */
      runWrittenBefore: transactionMark.nullable().default(null),
      run: compactTimestamp.nullable(),
      afterBucket: z.number().int().nonnegative(),
    })
    .nullable()
    .default(null),
  /**
   * Event tables, until the first extraction is done: the commit horizon it reads below and the
   * last key taken. The watermark is set to the horizon once every row below it is out.
   */
  initial: z
    .object({ horizon: Watermark.shape.lastUpdated, afterId: z.number().int().nonnegative() })
    .nullable()
    .default(null),
  /** How far the latest `full` run has got (for a reference table: done once set). */
  full: z.object({ run: compactTimestamp, afterId: z.number().int().nonnegative() }).nullable().default(null),
});
export type ExtractState = z.infer<typeof ExtractState>;

/** The state of a table that has never been extracted. */
export const initialState: ExtractState = Object.freeze({
  watermark: null,
  snapshot: null,
  initial: null,
  sweep: null,
  full: null,
});

/**
 * The prefix of the extraction state in the ingest bucket.
 *
 * Under `_state/`, which no subscription matches, so writing it starts nothing downstream.
 */
export const extractionStatePrefix = '_state/extract/';

/** Where a table's extraction state lives in the ingest bucket. */
export function stateKey(table: SourceTableName): string {
  return `${extractionStatePrefix}${table}.json`;
}
