import { fromCompactTimestamp } from './compact-timestamp';
import type { IngestKey } from './ingest-key';
import type { SourceTableName } from './source-tables';

/**
 * A source row that broke its contract and was left out of its processed object.
 *
 * Its contract is its zod row schema or a mapping rule; leaving it out spares the whole object. The
 * transformer writes these into the processed object's footer; the loader keeps them in
 * `etl.quarantine` until a later extraction of the same source row passes.
 */
export interface QuarantinedRow {
  readonly sourceTable: SourceTableName;
  /** The row's primary key in the source table; a row without a readable one is a malformed object. */
  readonly sourceId: number;
  /** The ingest object the row was read from. */
  readonly objectKey: string;
  /** Its 1-based line in that object. */
  readonly line: number;
  /** The first column at fault, when one is (a mapping rule may name none). */
  readonly column: string | null;
  /** The column's value as JSON text, cut to {@link quarantinedValueLength} characters. */
  readonly value: string | null;
  readonly reason: string;
}

/** The most quarantined rows a processed object describes one by one; the rest are counted. */
export const quarantineDetailLimit = 1000;

/** The longest value a {@link QuarantinedRow} keeps, in characters. */
export const quarantinedValueLength = 200;

/**
 * When an ingest object's rows were observed in the source, as far as its key tells.
 *
 * As `YYYY-MM-DD HH:MM:SS.mmm`: a snapshot's time, a rescan's run, and for a change batch the
 * `last_updated` of its last row (it was read no earlier). Quarantine entries are ordered by it, so
 * a later observation of a source row releases or replaces an earlier one and never the other way
 * round: an update moves the watermark past the bad version, and a sweep after a silent fix runs
 * after the batch that took the bad version.
 */
export function observedAt(key: IngestKey): string {
  switch (key.kind) {
    case 'changes':
      return key.through.lastUpdated;
    case 'rescan':
      return fromCompactTimestamp(key.run);
    case 'snapshot':
      return fromCompactTimestamp(key.takenAt);
  }
}

/** Cuts a value to {@link quarantinedValueLength} characters, as JSON text; `null` when absent. */
export function quarantinedValue(value: unknown): string | null {
  if (value === undefined) return null;
  const text = JSON.stringify(value) ?? String(value);
  return text.length > quarantinedValueLength ? `${text.slice(0, quarantinedValueLength - 1)}…` : text;
}
