import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { warehouseTableNames } from '@totes/pipeline';
import { readDdl } from '@totes/schema';
import type pg from 'pg';

/** The loader's bookkeeping DDL (`etl` schema), plain SQL like the star schema's. */
export const etlDdlFile = fileURLToPath(new URL('../sql/etl.sql', import.meta.url));

/** The bookkeeping tables {@link migrateWarehouse} creates in `etl`. */
export const etlTables = [
  'load_ledger',
  'dimension_version',
  'dimension_row_version',
  'freshness',
  'quarantine',
  'quarantine_release',
] as const;

/**
 * Creates the star schema and the loader's `etl` bookkeeping where absent.
 *
 * The star schema is `@totes/schema`'s `sql/warehouse.sql`; it is created in one transaction, under
 * an advisory lock, so that several callers (loaders starting together, the local stack, a
 * deployment step) can run it at once. Safe to run any number of times: it changes nothing that
 * exists.
 */
export async function migrateWarehouse(client: pg.ClientBase): Promise<void> {
  const [warehouse, etl] = await Promise.all([readDdl('warehouse'), readFile(etlDdlFile, 'utf8')]);
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('totes.migrate-warehouse', 0))");
    await client.query(warehouse);
    await client.query(etl);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Columns added to `etl` tables after they were first created (`ADD COLUMN IF NOT EXISTS` in `etl.sql`).
 *
 * A warehouse without one is migrated again.
 */
export const etlAddedColumns = [{ table: 'etl.dimension_row_version', column: 'observed_at' }] as const;

/**
 * Runs {@link migrateWarehouse} only when a table or an added column is missing.
 *
 * A table of the star schema or of `etl`, or a column of {@link etlAddedColumns}. Cheap enough for
 * every cold start, and it never takes the locks DDL takes on a warehouse that is complete, so it
 * cannot wait behind a running load.
 */
export async function ensureWarehouse(client: pg.ClientBase): Promise<void> {
  const names = [
    ...warehouseTableNames.map((table) => `public.${table}`),
    ...etlTables.map((table) => `etl.${table}`),
  ];
  const result = await client.query<{ missing: number }>(
    'SELECT (SELECT count(*) FILTER (WHERE to_regclass(name) IS NULL) FROM unnest($1::text[]) AS name)::integer + ' +
      '(SELECT count(*) FROM unnest($2::text[], $3::text[]) AS added (name, col) WHERE NOT EXISTS ' +
      '(SELECT 1 FROM pg_attribute a WHERE a.attrelid = to_regclass(added.name) AND a.attname = added.col ' +
      'AND NOT a.attisdropped))::integer AS missing',
    [names, etlAddedColumns.map((added) => added.table), etlAddedColumns.map((added) => added.column)],
  );
  if ((result.rows[0]?.missing ?? 0) > 0) await migrateWarehouse(client);
}
