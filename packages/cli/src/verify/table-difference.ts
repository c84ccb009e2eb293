import type { TargetTableName } from '@totes/pipeline';

/** A natural key: an integer id, or dim_date's `YYYY-MM-DD`. */
export type NaturalKey = number | string;

/** How a warehouse table differs from what the source makes of it (all zero when it does not). */
export interface TableDifference {
  readonly table: TargetTableName;
  /** Rows the source makes (one per source row; facts: its current version). */
  readonly expectedRows: number;
  /** Rows read from the warehouse table (facts: every version). */
  readonly warehouseRows: number;
  /** Natural keys the source has and the warehouse does not. */
  readonly missing: number;
  /** Natural keys the warehouse has and the source does not. */
  readonly extra: number;
  /** Natural keys whose row (facts: latest version) differs from the source's. */
  readonly different: number;
  /** Facts: natural keys holding the same version more than once. */
  readonly duplicateVersions: number;
  /** A few natural keys of each kind, in key order. */
  readonly samples: Readonly<
    Record<'missing' | 'extra' | 'different' | 'duplicateVersions', readonly NaturalKey[]>
  >;
  /** Why the table could not be compared (a source row the mapping refuses, a database error). */
  readonly error?: string;
}

/** Whether a table differs in any way (or could not be compared). */
export const differs = (difference: TableDifference): boolean =>
  difference.missing + difference.extra + difference.different + difference.duplicateVersions > 0 ||
  difference.error !== undefined;
