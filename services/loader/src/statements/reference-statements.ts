import { qualifiedName, sqlIdentifier } from './sql-identifier';
import { stagingTable } from './staging-statements';
import { type DimensionReference, type TableLayout, tableLayout } from './table-layout';

/** Where the keys a fact object references are read from. */
export interface ReferenceSources {
  /** The distinct keys given as `$1` (an `integer[]`; days since 1970-01-01 for a date key). */
  readonly keys: string;
  /** The staged rows, when there were too many distinct keys to pass. */
  readonly staging: string;
  /**
   * The rows copied straight into the fact table, when there were too many distinct keys to pass:
   * the fact rows with a natural key from `$1` to `$2`, which held none before the copy.
   */
  readonly appended: string;
}

/** The statements that check (and lock) the rows of one dimension that a fact object references. */
export interface ReferenceStatements {
  readonly dimension: string;
  /** Rows `key` (as text) of the referenced keys the dimension lacks, at most 1000. */
  readonly missing: ReferenceSources;
}

/** The queries giving the distinct keys of a dimension that a fact object references, as `v`. */
export function referenceSources(layout: TableLayout, reference: DimensionReference): ReferenceSources {
  const keyKind = tableLayout(reference.dimension).columns.find(
    (column) => column.name === reference.dimensionKey,
  )?.kind;
  const fromKeys =
    keyKind === 'date'
      ? "SELECT DISTINCT DATE '1970-01-01' + k AS v FROM unnest($1::integer[]) AS k"
      : 'SELECT DISTINCT k AS v FROM unnest($1::integer[]) AS k';
  const fact = qualifiedName('public', layout.table);
  const naturalKey = sqlIdentifier(layout.naturalKey);
  const distinct = (from: string, where = '') =>
    `SELECT DISTINCT v FROM (${reference.columns
      .map((column) => `SELECT s.${sqlIdentifier(column)} AS v FROM ${from} s${where}`)
      .join(' UNION ALL ')}) u`;
  return {
    keys: fromKeys,
    staging: distinct(stagingTable),
    appended: distinct(fact, ` WHERE s.${naturalKey} BETWEEN $1 AND $2`),
  };
}

/**
 * The reference check of one dimension.
 *
 * The referenced rows it holds are locked `FOR KEY SHARE` (what a foreign key check does, row by
 * row) so they cannot go away before the load commits, and the keys it lacks are returned.
 */
export function referenceStatements(layout: TableLayout, reference: DimensionReference): ReferenceStatements {
  const dimension = qualifiedName('public', reference.dimension);
  const key = sqlIdentifier(reference.dimensionKey);
  const check = (source: string) =>
    `WITH wanted AS (${source}), held AS (SELECT d.${key} AS v FROM ${dimension} d ` +
    `WHERE d.${key} IN (SELECT v FROM wanted) FOR KEY SHARE OF d) ` +
    'SELECT w.v::text AS key FROM wanted w WHERE NOT EXISTS (SELECT 1 FROM held h WHERE h.v = w.v) ' +
    'ORDER BY w.v LIMIT 1000';
  const sources = referenceSources(layout, reference);
  return {
    dimension: reference.dimension,
    missing: {
      keys: check(sources.keys),
      staging: check(sources.staging),
      appended: check(sources.appended),
    },
  };
}
