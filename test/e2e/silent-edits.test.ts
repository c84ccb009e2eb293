import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import { useTestDatabase } from '@totes/test-harness';
import { insertSalesOrder, seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from '../../packages/cli/test/run-totes';
import { expectWarehouseToMatchSource } from './expect-warehouse';
import { query } from './warehouse-queries';

/**
 * Dimensions are type 1 by value: an edit that leaves `last_updated` as it was (as totesys does
 * now and then, and as ON DELETE SET NULL does) reaches the warehouse on the next sync, for a
 * dimension loaded row by row from change batches and for those rebuilt from snapshots.
 */
describe('silent edits reach every dimension', () => {
  const totesys = useTestDatabase('e2e_silent_src');
  const warehouse = useTestDatabase('e2e_silent_wh');
  let dataDir: string;

  async function sync(): Promise<void> {
    const run = await runTotes(['sync', '--data-dir', dataDir, '--json'], {
      TOTESYS_URL: totesys.url,
      WAREHOUSE_URL: warehouse.url,
    });
    expect(run.stderr).not.toMatch(/totes: /);
    expect(run.code, `${run.stdout.slice(0, 2000)}\n${run.stderr.slice(0, 2000)}`).toBe(0);
  }

  async function inTotesys<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  const expectToMatchSource = (tables: readonly TargetTableName[]) =>
    expectWarehouseToMatchSource(totesys.url, warehouse.url, tables);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-e2e-silent-'));
    await seedTotesys(totesys.url, { scale: 0.02, seed: 5 });
    await sync();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('replaces a dim_transaction row whose order was set to NULL, shipped by the sweep among older rows', async () => {
    // A sale whose transaction is then changed (last_updated moved) in the same change batch as a
    // newer transaction beyond the sweep's first bucket of 1,000 ids: the row's stored version
    // becomes that batch's newest last_updated, newer than anything the sweep of its bucket ships.
    const id = await inTotesys(async (client) => {
      const sale = await client.query<{ id: number }>(
        "SELECT min(transaction_id) AS id FROM transaction WHERE transaction_type = 'SALE' AND transaction_id >= 17",
      );
      const saleId = sale.rows[0]?.id;
      if (!saleId) throw new Error('the seed has no sale');
      await client.query("SELECT setval(pg_get_serial_sequence('transaction', 'transaction_id'), 1500)");
      const order = await insertSalesOrder(client);
      await client.query(
        `UPDATE transaction SET last_updated = (SELECT last_updated FROM transaction WHERE transaction_id = $2) - interval '1 second'
          WHERE transaction_id = $1`,
        [saleId, order.transactionId],
      );
      return saleId;
    });
    await sync();
    await expectToMatchSource(['dim_transaction']);

    // What ON DELETE SET NULL does: the row changes, last_updated does not.
    await inTotesys((client) =>
      client.query('UPDATE transaction SET sales_order_id = NULL WHERE transaction_id = $1', [id]),
    );
    await sync();

    const [row] = await query(
      warehouse.url,
      'SELECT sales_order_id FROM dim_transaction WHERE transaction_id = $1',
      [id],
    );
    expect(row).toEqual({ sales_order_id: null });
    // The sweep's object was older by last_updated than the one that carried the row before.
    const [versions] = await query<{ older: boolean }>(
      warehouse.url,
      `SELECT v.version > $2::timestamp AS older FROM etl.dimension_row_version v
        WHERE v.table_name = 'dim_transaction' AND v.natural_id = $1`,
      [
        String(id),
        (
          await query<{ at: string }>(
            totesys.url,
            'SELECT last_updated::text AS at FROM transaction WHERE transaction_id = $1',
            [id],
          )
        )[0]?.at,
      ],
    );
    expect(versions).toEqual({ older: true });
    await expectToMatchSource(warehouseTableNames);
  });

  it('rebuilds dim_design when a design name is edited without a last_updated change', async () => {
    const id = await inTotesys(async (client) => {
      const design = await client.query<{ id: number }>(
        "UPDATE design SET design_name = design_name || ' (renamed)' WHERE design_id = (SELECT min(design_id) FROM design) RETURNING design_id AS id",
      );
      return design.rows[0]?.id;
    });
    await sync();

    const [row] = await query<{ design_name: string }>(
      warehouse.url,
      'SELECT design_name FROM dim_design WHERE design_id = $1',
      [id],
    );
    expect(row?.design_name).toMatch(/ \(renamed\)$/);
    await expectToMatchSource(['dim_design']);
  });

  it('rebuilds every dim_staff row of a department edited without a last_updated change', async () => {
    const id = await inTotesys(async (client) => {
      const department = await client.query<{ id: number }>(
        `UPDATE department SET department_name = department_name || ' East', location = 'Leeds'
          WHERE department_id = (SELECT department_id FROM staff ORDER BY staff_id LIMIT 1) RETURNING department_id AS id`,
      );
      return department.rows[0]?.id;
    });
    await sync();

    const inDepartment = await query<{ staff_id: number }>(
      totesys.url,
      'SELECT staff_id FROM staff WHERE department_id = $1',
      [id],
    );
    expect(inDepartment.length).toBeGreaterThan(0);
    const loaded = await query<{ department_name: string; location: string }>(
      warehouse.url,
      'SELECT department_name, location FROM dim_staff WHERE staff_id = ANY($1::int[])',
      [inDepartment.map((row) => row.staff_id)],
    );
    expect(loaded).toHaveLength(inDepartment.length);
    for (const row of loaded)
      expect(row).toMatchObject({ department_name: expect.stringMatching(/ East$/), location: 'Leeds' });
    await expectToMatchSource(['dim_staff']);
  });
});
