import { type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import { connectPostgres } from '@totes/runtime/database';
import { useTestDatabase } from '@totes/test-harness';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { etlTables, migrateWarehouse } from '../src/migrate-warehouse';
import { tableLayout } from '../src/statements/table-layout';

/** A migrated warehouse of this test file, emptied before every test. */
export interface TestWarehouse {
  readonly url: string;
  /** A connection the test itself uses to arrange and inspect. */
  readonly client: pg.Client;
  /** A table's rows without the facts' record id, ordered by natural key then record id. */
  rows(table: TargetTableName): Promise<Record<string, unknown>[]>;
  count(table: string): Promise<number>;
}

/** Gives the test file a migrated warehouse database, truncated before each test. */
export function useWarehouse(): () => TestWarehouse {
  const database = useTestDatabase('loader');
  let client: pg.Client | undefined;
  beforeAll(async () => {
    client = await connectPostgres(database.url, {
      statementTimeoutMs: 30_000,
      applicationName: 'loader-test',
    });
    await migrateWarehouse(client);
  });
  afterAll(async () => {
    await client?.end();
  });
  beforeEach(async () => {
    const tables = [...warehouseTableNames.map((t) => `public.${t}`), ...etlTables.map((t) => `etl.${t}`)];
    await client?.query(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY`);
  });
  return () => {
    if (!client) throw new Error('the warehouse exists only inside tests and hooks');
    const connection = client;
    return {
      url: database.url,
      client: connection,
      async rows(table) {
        const layout = tableLayout(table);
        // PostgreSQL prints times without trailing zeros; the pipeline's form keeps three digits.
        const columns = layout.columns
          .map((column) =>
            column.kind === 'time'
              ? `to_char(${column.name}, 'HH24:MI:SS.MS') AS ${column.name}`
              : column.name,
          )
          .join(', ');
        const order = [layout.naturalKey, ...(layout.recordId ? [layout.recordId] : [])].join(', ');
        const result = await connection.query(`SELECT ${columns} FROM public.${table} ORDER BY ${order}`);
        return result.rows;
      },
      async count(table) {
        const result = await connection.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${table}`);
        return result.rows[0]?.n ?? 0;
      },
    };
  };
}
