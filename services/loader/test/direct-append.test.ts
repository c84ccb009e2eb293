import { type TargetTableName, warehouseTables } from '@totes/pipeline';
import { connectPostgres } from '@totes/runtime/database';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { lockTableLoads } from '../src/merge/lock-table-loads';
import { MissingDimensionError } from '../src/missing-dimension-error';
import { fixtureRows } from './fixture-rows';
import { loadRows } from './load-rows';
import { objectKey } from './object-key';
import type { ProcessedRow } from './processed-object';
import { useWarehouse } from './use-warehouse';

const warehouse = useWarehouse();

type Order = ProcessedRow<'fact_sales_order'>;

const dimensions = (Object.keys(warehouseTables) as TargetTableName[]).filter(
  (table) => warehouseTables[table].kind === 'dim',
);

async function loadDimensions(except: TargetTableName[] = []): Promise<void> {
  for (const table of dimensions.filter((name) => !except.includes(name))) {
    await loadRows(warehouse().client, table, objectKey(table), fixtureRows(table), {
      maxLastUpdated: '2024-11-04 09:00:00.000',
    });
  }
}

/** Versions of the first fixture order under the given natural ids. */
function orders(...ids: number[]): Order[] {
  const [order] = fixtureRows('fact_sales_order');
  if (!order) throw new Error('fixture missing');
  return ids.map((sales_order_id) => ({ ...order, sales_order_id }));
}

const load = (rows: readonly Order[], options: { statistics?: boolean } = {}) =>
  loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), rows, options);

async function ledger(): Promise<unknown[]> {
  const result = await warehouse().client.query(
    "SELECT rows_inserted, rows_skipped FROM etl.load_ledger WHERE table_name = 'fact_sales_order' ORDER BY loaded_at",
  );
  return result.rows;
}

describe('appending a fact object', () => {
  it('copies an object whose natural keys are all new straight into the fact table', async () => {
    await loadDimensions();
    const rows = orders(3, 1, 2);

    const outcome = await load(rows);

    expect(outcome).toMatchObject({ outcome: 'loaded', append: 'direct', inserted: 3, skipped: 0 });
    expect(await warehouse().rows('fact_sales_order')).toEqual(orders(1, 2, 3));
    const ids = await warehouse().client.query(
      'SELECT sales_order_id, sales_record_id FROM fact_sales_order ORDER BY sales_record_id',
    );
    expect(ids.rows).toEqual([
      { sales_order_id: 3, sales_record_id: 1 },
      { sales_order_id: 1, sales_record_id: 2 },
      { sales_order_id: 2, sales_record_id: 3 },
    ]);
    expect(await ledger()).toEqual([{ rows_inserted: 3, rows_skipped: 0 }]);
  });

  it('stages an object overlapping loaded natural keys, adding only its new versions', async () => {
    await loadDimensions();
    await load(orders(1, 2));
    const [one, two] = orders(1, 2);
    if (!one || !two) throw new Error('fixture missing');
    const newerTwo = { ...two, units_sold: 7, last_updated_date: '2024-11-06' };

    const outcome = await load([one, newerTwo, ...orders(3)]);

    expect(outcome).toMatchObject({ outcome: 'loaded', append: 'staged', inserted: 2, skipped: 1 });
    expect(await warehouse().rows('fact_sales_order')).toEqual([one, two, newerTwo, ...orders(3)]);
    expect(await ledger()).toEqual([
      { rows_inserted: 2, rows_skipped: 0 },
      { rows_inserted: 2, rows_skipped: 1 },
    ]);
  });

  it('copies straight in an object whose keys fall between loaded ones, none of them loaded', async () => {
    await loadDimensions();
    await load(orders(1, 10));

    const outcome = await load(orders(4, 6, 5));

    expect(outcome).toMatchObject({ append: 'direct', inserted: 3 });
    expect(await warehouse().count('fact_sales_order')).toBe(5);
  });

  it('undoes the copy and stages an object holding a natural key twice, keeping each version once', async () => {
    await loadDimensions();
    const [first, second] = orders(5, 5);
    if (!first || !second) throw new Error('fixture missing');
    const later = { ...second, units_sold: 1 };

    const outcome = await load([first, later, first]);

    expect(outcome).toMatchObject({ append: 'staged', inserted: 2, skipped: 1 });
    const stored = await warehouse().rows('fact_sales_order');
    expect(stored.toSorted((a, b) => Number(a.units_sold) - Number(b.units_sold))).toEqual([later, first]);
  });

  it('stages an object whose footer has no statistics to tell its key range', async () => {
    await loadDimensions();

    const outcome = await load(orders(1, 2), { statistics: false });

    expect(outcome).toMatchObject({ append: 'staged', inserted: 2, skipped: 0 });
  });

  it('rolls a new object back when a dimension row is missing, adding no day, and loads it later', async () => {
    await loadDimensions(['dim_design']);
    const rows = orders(1, 2).map((row) => ({ ...row, agreed_delivery_date: '2031-03-03' }));
    const key = objectKey('fact_sales_order');

    const waiting = loadRows(warehouse().client, 'fact_sales_order', key, rows);

    await expect(waiting).rejects.toThrow(MissingDimensionError);
    await expect(waiting).rejects.toMatchObject({ missing: { dim_design: ['1'] } });
    expect(await warehouse().count('fact_sales_order')).toBe(0);
    expect(await ledger()).toEqual([]);
    expect(await warehouse().count("dim_date WHERE date_id = '2031-03-03'")).toBe(0);
    await loadRows(warehouse().client, 'dim_design', objectKey('dim_design'), fixtureRows('dim_design'));
    const loaded = await loadRows(warehouse().client, 'fact_sales_order', key, rows);
    expect(loaded).toMatchObject({ append: 'direct', inserted: 2, daysAdded: 1 });
    expect(await warehouse().rows('fact_sales_order')).toEqual(rows);
  });

  it('adds the rows of two objects of the same new versions once, the second waiting for the first', async () => {
    await loadDimensions();
    const connect = (name: string) =>
      connectPostgres(warehouse().url, { statementTimeoutMs: 30_000, applicationName: name });
    const holder = await connect('append-test-holder');
    const loaders: pg.Client[] = [await connect('append-test-a'), await connect('append-test-b')];
    try {
      // Both objects look new before either takes the table's lock; only the check under the
      // lock can tell that the other one got there first.
      await holder.query('BEGIN');
      await lockTableLoads(holder, 'fact_sales_order');
      const loads = loaders.map((client) =>
        loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), orders(1, 2)),
      );
      for (let waiting = 0; waiting < 2; ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        const locks = await warehouse().client.query<{ n: number }>(
          "SELECT count(*)::integer AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
        );
        waiting = locks.rows[0]?.n ?? 0;
      }
      await holder.query('COMMIT');
      const outcomes = await Promise.all(loads);

      expect(outcomes.map((o) => [o.append, o.inserted, o.skipped]).sort()).toEqual([
        ['direct', 2, 0],
        ['staged', 0, 2],
      ]);
      expect(await warehouse().rows('fact_sales_order')).toEqual(orders(1, 2));
    } finally {
      for (const client of [holder, ...loaders]) await client.end();
    }
  });
});
