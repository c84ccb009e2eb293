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
   * The same, but skipping rows whose stored row version (`etl.dimension_row_version`) is newer
   * than `$2` (the object's newest `last_updated`); `$1` is the table name.
   */
  readonly upsertNewerRows: string;
  /** Records `$2` as the row version of every staged natural key of table `$1`, never lowering one. */
  readonly rememberRowVersions: string;
}

/** The merge statements of a dimension table (type 1: the latest value per natural key). */
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
        `AND v.natural_id = s.${key}::text AND v.version > $2::timestamp(3))`,
    ),
    rememberRowVersions:
      'INSERT INTO etl.dimension_row_version AS v (table_name, natural_id, version) ' +
      `SELECT $1, s.${key}::text, $2::timestamp(3) FROM ${stagingTable} s ` +
      'ON CONFLICT (table_name, natural_id) DO UPDATE SET version = EXCLUDED.version ' +
      'WHERE v.version < EXCLUDED.version',
  };
}
