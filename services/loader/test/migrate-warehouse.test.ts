import { connectPostgres } from '@totes/runtime/database';
import { useTestDatabase } from '@totes/test-harness';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWarehouse, migrateWarehouse } from '../src/migrate-warehouse';

const database = useTestDatabase('migrate');
let client: pg.Client;

beforeAll(async () => {
  client = await connectPostgres(database.url, {
    statementTimeoutMs: 30_000,
    applicationName: 'migrate-test',
  });
});

afterAll(async () => {
  await client?.end();
});

async function relations(): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
      "WHERE n.nspname IN ('public', 'etl') AND c.relkind IN ('r', 'i', 'S') ORDER BY 1",
  );
  return result.rows.map((row) => row.name);
}

describe('migrating the warehouse', () => {
  it('creates the star schema in public and the bookkeeping in etl on an empty database', async () => {
    await ensureWarehouse(client);

    const names = await relations();
    expect(names).toEqual(
      expect.arrayContaining(['public.dim_date', 'public.fact_sales_order', 'etl.load_ledger']),
    );
    expect(
      names.filter((name) => name.startsWith('etl.') && !name.endsWith('_idx') && !name.endsWith('_pkey')),
    ).toEqual([
      'etl.dimension_row_version',
      'etl.dimension_version',
      'etl.freshness',
      'etl.load_ledger',
      'etl.quarantine',
      'etl.quarantine_release',
    ]);
  });

  it('changes nothing when run again, even by several callers at once', async () => {
    const before = await relations();
    const others = await Promise.all(
      [1, 2].map(() =>
        connectPostgres(database.url, { statementTimeoutMs: 30_000, applicationName: 'migrate-test' }),
      ),
    );

    await Promise.all([migrateWarehouse(client), ...others.map((other) => migrateWarehouse(other))]);

    await Promise.all(others.map((other) => other.end()));
    expect(await relations()).toEqual(before);
  });

  it('adds the observation time to row versions kept before it, keeping them', async () => {
    await client.query(
      "INSERT INTO etl.dimension_row_version (table_name, natural_id, version) VALUES ('dim_transaction', '17', '2024-11-06 10:00:00')",
    );
    await client.query('ALTER TABLE etl.dimension_row_version DROP COLUMN observed_at');

    await ensureWarehouse(client);

    expect(
      (await client.query('SELECT natural_id, version::text, observed_at FROM etl.dimension_row_version'))
        .rows,
    ).toEqual([{ natural_id: '17', version: '2024-11-06 10:00:00', observed_at: null }]);
  });

  it('recreates a missing bookkeeping table without touching loaded rows', async () => {
    await client.query("INSERT INTO dim_currency VALUES (1, 'GBP', 'British Pound')");
    await client.query('DROP TABLE etl.freshness');

    await ensureWarehouse(client);

    expect((await client.query('SELECT count(*)::integer AS n FROM dim_currency')).rows).toEqual([{ n: 1 }]);
    expect((await client.query("SELECT to_regclass('etl.freshness') IS NOT NULL AS present")).rows).toEqual([
      { present: true },
    ]);
  });
});
