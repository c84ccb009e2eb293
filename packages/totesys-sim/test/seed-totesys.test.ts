import { columnSpecs, readDdl, type SourceTableName, totesysTables } from '@totes/schema';
import {
  createTestDatabase,
  dropTestDatabase,
  type TestDatabase,
  useTestDatabase,
} from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SeedResult, SimulatorError, seedTotesys, totesysDataset } from '../src/index';

const tables = Object.keys(totesysTables) as SourceTableName[];

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Reads a table as the simulator writes it: timestamps as `YYYY-MM-DD HH:MM:SS.mmm` text. */
async function readTable(client: pg.Client, table: SourceTableName): Promise<Record<string, unknown>[]> {
  const select = columnSpecs(totesysTables[table]).map((c) =>
    c.pgType.startsWith('timestamp(3)')
      ? `to_char(${c.name}, 'YYYY-MM-DD HH24:MI:SS.MS') AS ${c.name}`
      : `${pg.escapeIdentifier(c.name)}`,
  );
  const { rows } = await client.query(
    `SELECT ${select.join(', ')} FROM ${pg.escapeIdentifier(table)} ORDER BY 1`,
  );
  return rows;
}

async function checksum(client: pg.Client, table: SourceTableName): Promise<string> {
  const { rows } = await client.query<{ md5: string }>(
    `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t)) AS md5 FROM ${pg.escapeIdentifier(table)} AS t`,
  );
  return rows[0]?.md5 ?? '';
}

async function rowCounts(client: pg.Client): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(table)}`,
    );
    counts[table] = rows[0]?.n ?? -1;
  }
  return counts;
}

describe('seedTotesys', () => {
  const db = useTestDatabase('sim_seed');
  const progress: [string, number][] = [];
  let result: SeedResult;

  beforeAll(async () => {
    result = await seedTotesys(db.url, {
      scale: 1,
      seed: 1,
      onProgress: (table, rows) => progress.push([table, rows]),
    });
  });

  it('loads every table of an empty database and says how many rows it loaded', async () => {
    const counts = await withClient(db.url, rowCounts);
    expect(counts).toEqual(result.tables);
    expect(counts).toMatchObject({
      address: 30,
      counterparty: 20,
      currency: 3,
      department: 8,
      payment_type: 4,
      staff: 20,
    });
    expect(counts.sales_order).toBeGreaterThan(10_500);
    expect(result.seconds).toBeGreaterThan(0);
    expect(progress).toContainEqual(['payment', counts.payment]);
  });

  it('loads exactly the rows the dataset generates', async () => {
    const dataset = totesysDataset({ scale: 1, seed: 1 });
    await withClient(db.url, async (client) => {
      for (const table of tables) {
        const expected = [...dataset.rows(table)].flat();
        expect(await readTable(client, table)).toEqual(expected);
      }
    });
  });

  it('keeps the schema’s constraints, with sequences past the loaded ids', async () => {
    await withClient(db.url, async (client) => {
      const { rows } = await client.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
      );
      expect(rows[0]?.n).toBe(17);
      const sale = await client.query<{ id: number }>(
        `INSERT INTO sales_order (last_updated, design_id, staff_id, counterparty_id, units_sold, unit_price, currency_id,
           agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id)
         VALUES (now(), 1, 1, 1, 1, 1, 1, '2025-01-01', '2025-01-01', 1) RETURNING sales_order_id AS id`,
      );
      expect(sale.rows[0]?.id).toBe(result.tables.sales_order + 1);
      await client.query('DELETE FROM sales_order WHERE sales_order_id = $1', [sale.rows[0]?.id]);
      await expect(
        client.query(
          `INSERT INTO payment (last_updated, transaction_id, counterparty_id, payment_amount, currency_id, payment_type_id,
             paid, payment_date, company_ac_number, counterparty_ac_number)
           VALUES (now(), 999999999, 1, 1, 1, 1, false, '2025-01-01', 1, 1)`,
        ),
      ).rejects.toThrow(/foreign key/);
      const migrations = await client.query('SELECT migration_name FROM _prisma_migrations');
      expect(migrations.rowCount).toBe(1);
    });
  });

  it('analyzes the tables it loaded', async () => {
    const { rows } = await withClient(db.url, (client) =>
      client.query<{ relname: string }>(
        'SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL AND relname = ANY ($1)',
        [tables],
      ),
    );
    expect(rows).toEqual([]);
  });

  it('refuses a database that already holds rows, and changes nothing', async () => {
    const before = await withClient(db.url, async (client) => ({
      counts: await rowCounts(client),
      sales: await checksum(client, 'sales_order'),
    }));
    const attempt = seedTotesys(db.url, { scale: 1, seed: 2 });
    await expect(attempt).rejects.toThrow(SimulatorError);
    await expect(attempt).rejects.toThrow(/already holds totesys rows \(in address, .*payment_type\)/);
    const after = await withClient(db.url, async (client) => ({
      counts: await rowCounts(client),
      sales: await checksum(client, 'sales_order'),
    }));
    expect(after).toEqual(before);
  });

  describe('on other databases', () => {
    const extra: TestDatabase[] = [];
    const fresh = async () => {
      const database = await createTestDatabase('sim_seed_more');
      extra.push(database);
      return database.url;
    };
    afterAll(async () => {
      for (const database of extra) await dropTestDatabase(database);
    });

    it('loads byte-identical tables for the same seed and different ones for another', async () => {
      const [same, other] = await Promise.all([fresh(), fresh()]);
      await Promise.all([
        seedTotesys(same, { scale: 1, seed: 1 }),
        seedTotesys(other, { scale: 1, seed: 2 }),
      ]);
      const sums = await Promise.all(
        [db.url, same, other].map((url) => withClient(url, (client) => checksum(client, 'sales_order'))),
      );
      expect(sums[1]).toBe(sums[0]);
      expect(sums[2]).not.toBe(sums[0]);
    });

    it('fills tables that exist but are empty', async () => {
      const url = await fresh();
      const ddl = await readDdl('totesys');
      await withClient(url, (client) => client.query(ddl));
      const seeded = await seedTotesys(url, { scale: 0.05, seed: 3 });
      expect(seeded.tables.staff).toBe(20);
      expect(seeded.tables.sales_order).toBeGreaterThan(400);
    });

    it('refuses invalid options before touching the database', async () => {
      await expect(
        seedTotesys('postgresql://nobody@127.0.0.1:1/none', { scale: -1, seed: 1 }),
      ).rejects.toThrow(/scale must be a number above 0/);
    });
  });
});
