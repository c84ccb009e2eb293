import { qualifiedName, sqlIdentifier } from './sql-identifier';
import { stagingTable } from './staging-statements';
import type { TableLayout } from './table-layout';

/** The statements that merge a staged dimension object. */
export interface DimensionStatements {
  /**
   * Upserts every staged row by natural key, rewriting only rows whose content differs; returns
   * one row `(inserted, updated)`.
   */
  readonly upsert: string;
  /**
   * The same, but skipping rows of which a newer observation is loaded (see
   * {@link dimensionStatements}); `$1` is the table name, `$2` the object's newest
   * `last_updated`, `$3` its observation time (UTC) or NULL when it has none.
   */
  readonly upsertNewerRows: string;
  /**
   * Records the object's `$2` (newest `last_updated`) and `$3` (observation time or NULL) for
   * every staged natural key of table `$1`, never lowering either.
   */
  readonly rememberRowVersions: string;
}

/**
 * The merge statements of a dimension table (type 1: the latest value per natural key).
 *
 * Rows loaded one object at a time (dim_transaction) keep, per natural key, the newest
 * observation loaded (`etl.dimension_row_version`). A row is replaced whenever its values differ,
 * unless a later observation of it is loaded: observations are ordered by when the extractor read
 * the row (`observed_at`), never by `last_updated`, which a silent edit leaves unchanged. An equal
 * observation is applied, so a replay changes nothing and a row read twice at once cannot stall.
 * An object without an observation time (written before the extractor recorded one) is older
 * than every observation: it is applied only to rows no observed object has written, and among
 * such objects by `last_updated`, as before.
 */
export function dimensionStatements(layout: TableLayout): DimensionStatements {
  const table = qualifiedName('public', layout.table);
  const key = sqlIdentifier(layout.naturalKey);
  const columns = layout.columns.map((column) => sqlIdentifier(column.name));
  const values = layout.columns.filter((column) => column.name !== layout.naturalKey);
  const names = values.map((column) => sqlIdentifier(column.name));
  const onConflict =
    names.length === 0
      ? `ON CONFLICT (${key}) DO NOTHING`
      : `ON CONFLICT (${key}) DO UPDATE SET ${names.map((name) => `${name} = EXCLUDED.${name}`).join(', ')} ` +
        `WHERE (${names.map((name) => `t.${name}`).join(', ')}) IS DISTINCT FROM ` +
        `(${names.map((name) => `EXCLUDED.${name}`).join(', ')})`;

  const upsert = (where: string) =>
    `WITH merged AS (INSERT INTO ${table} AS t (${columns.join(', ')}) ` +
    `SELECT ${columns.map((name) => `s.${name}`).join(', ')} FROM ${stagingTable} s${where} ` +
    `${onConflict} RETURNING (t.xmax = 0) AS inserted) ` +
    'SELECT (count(*) FILTER (WHERE inserted))::integer AS inserted, ' +
    '(count(*) FILTER (WHERE NOT inserted))::integer AS updated FROM merged';

  return {
    upsert: upsert(''),
    upsertNewerRows: upsert(
      ' WHERE NOT EXISTS (SELECT 1 FROM etl.dimension_row_version v WHERE v.table_name = $1 ' +
        `AND v.natural_id = s.${key}::text AND (v.observed_at > $3::timestamp(3) ` +
        'OR ($3::timestamp(3) IS NULL AND (v.observed_at IS NOT NULL OR v.version > $2::timestamp(3)))))',
    ),
    rememberRowVersions:
      'INSERT INTO etl.dimension_row_version AS v (table_name, natural_id, version, observed_at) ' +
      `SELECT $1, s.${key}::text, $2::timestamp(3), $3::timestamp(3) FROM ${stagingTable} s ` +
      'ON CONFLICT (table_name, natural_id) DO UPDATE SET ' +
      'version = greatest(v.version, EXCLUDED.version), observed_at = greatest(v.observed_at, EXCLUDED.observed_at) ' +
      'WHERE v.version < EXCLUDED.version OR v.observed_at IS DISTINCT FROM greatest(v.observed_at, EXCLUDED.observed_at)',
  };
}
