import type { QuarantinedRow } from '@totes/pipeline';

/**
 * Rows read and checked a chunk at a time.
 *
 * Those that kept their contract, each with its 1-based line in the object, and those quarantined
 * instead.
 */
export interface ScreenedBatch<T> {
  readonly rows: T[];
  /** `lines[i]` is the line of `rows[i]`. */
  readonly lines: number[];
  readonly quarantined: QuarantinedRow[];
}
