import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestDatabase } from '@totes/test-harness';
import { editReference, insertSalesOrder, seedTotesys, settlePayments, silentEdit } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPipeline, startPipeline } from '../../packages/cli/src/stack/running-pipeline';
import { eventually, query } from './warehouse-queries';

describe('the pipeline running on the local stack', () => {
  const totesys = useTestDatabase('e2e_live_src');
  const warehouse = useTestDatabase('e2e_live_wh');
  let dataDir: string;
  let pipeline: RunningPipeline;
  let source: pg.Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-e2e-live-'));
    await seedTotesys(totesys.url, { scale: 0.02, seed: 5 });
    pipeline = await startPipeline({
      dataDir,
      totesysUrl: totesys.url,
      warehouseUrl: warehouse.url,
      schedule: true,
      command: 'up',
    });
    source = new pg.Client({ connectionString: totesys.url });
    await source.connect();
    // The initial load is complete when the last sales order is in the warehouse.
    const [{ last }] = (await source.query('SELECT max(sales_order_id) AS last FROM sales_order')).rows;
    await eventually(
      'the initial load',
      async () => {
        const rows = await query(warehouse.url, 'SELECT 1 FROM fact_sales_order WHERE sales_order_id = $1', [
          last,
        ]).catch(() => []);
        return rows.length > 0;
      },
      180,
    );
  }, 240_000);

  afterAll(async () => {
    await source?.end();
    await pipeline?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows an insert and an update in totesys in the warehouse within seconds', async () => {
    const order = await insertSalesOrder(source);
    const edit = await editReference(source, { table: 'staff', id: 1 });
    const email = (await source.query('SELECT email_address FROM staff WHERE staff_id = 1')).rows[0]
      ?.email_address;
    const insertMs = await eventually(
      'the new order',
      async () => {
        return (
          (
            await query(warehouse.url, 'SELECT 1 FROM fact_sales_order WHERE sales_order_id = $1', [
              order.orderId,
            ])
          ).length > 0
        );
      },
      30,
    );
    const updateMs = await eventually(
      'the staff update',
      async () => {
        const rows = await query(warehouse.url, 'SELECT email_address FROM dim_staff WHERE staff_id = 1');
        return rows[0]?.email_address === email;
      },
      30,
    );
    expect(edit.table).toBe('staff');
    expect(Math.max(insertMs, updateMs)).toBeLessThan(30_000);
  });

  it('carries a department change to every staff row in it, and an address change to every counterparty at it', async () => {
    const department = (
      await source.query(
        'SELECT department_id FROM staff GROUP BY department_id ORDER BY count(*) DESC LIMIT 1',
      )
    ).rows[0]?.department_id;
    await source.query(
      "UPDATE department SET department_name = department_name || ' (renamed)', last_updated = now() WHERE department_id = $1",
      [department],
    );
    const address = (
      await source.query(
        'SELECT legal_address_id AS id FROM counterparty GROUP BY legal_address_id ORDER BY count(*) DESC LIMIT 1',
      )
    ).rows[0]?.id;
    await source.query(
      "UPDATE address SET phone = '0161 496 0000', last_updated = now() WHERE address_id = $1",
      [address],
    );
    const staffCount = Number(
      (await source.query('SELECT count(*) FROM staff WHERE department_id = $1', [department])).rows[0]
        ?.count,
    );
    const counterpartyCount = Number(
      (await source.query('SELECT count(*) FROM counterparty WHERE legal_address_id = $1', [address])).rows[0]
        ?.count,
    );

    await eventually(
      'the renamed department on every staff row',
      async () => {
        const rows = await query<{ n: number }>(
          warehouse.url,
          "SELECT count(*)::int AS n FROM dim_staff WHERE department_name LIKE '% (renamed)'",
        );
        return rows[0]?.n === staffCount;
      },
      30,
    );
    await eventually(
      'the new phone on every counterparty at the address',
      async () => {
        const rows = await query<{ n: number }>(
          warehouse.url,
          "SELECT count(*)::int AS n FROM dim_counterparty WHERE counterparty_legal_phone_number = '0161 496 0000'",
        );
        return rows[0]?.n === counterpartyCount;
      },
      30,
    );
    expect(staffCount).toBeGreaterThan(1);
  });

  it('adds a second fact_payment row when a payment settles, and the current state is the settled one', async () => {
    const order = await insertSalesOrder(source);
    await eventually(
      'the unpaid payment',
      async () => {
        return (
          (await query(warehouse.url, 'SELECT 1 FROM fact_payment WHERE payment_id = $1', [order.paymentId]))
            .length === 1
        );
      },
      30,
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    await settlePayments(source, { paymentIds: [order.paymentId] });
    await eventually(
      'the settled version',
      async () => {
        return (
          (await query(warehouse.url, 'SELECT 1 FROM fact_payment WHERE payment_id = $1', [order.paymentId]))
            .length === 2
        );
      },
      30,
    );
    const [current] = await query<{ paid: boolean; payment_date: string }>(
      warehouse.url,
      `SELECT paid, payment_date::text FROM fact_payment WHERE payment_id = $1
        ORDER BY last_updated_date DESC, last_updated_time DESC, payment_record_id DESC LIMIT 1`,
      [order.paymentId],
    );
    const [settled] = (
      await source.query('SELECT paid, payment_date FROM payment WHERE payment_id = $1', [order.paymentId])
    ).rows;
    expect(current).toEqual({ paid: true, payment_date: settled?.payment_date });
  });

  it('brings a silent edit (a value changes, last_updated does not) to the warehouse after a sweep', async () => {
    // Let the scheduler's first sweep record the table as it was, then edit it silently.
    await pipeline.requestExtraction(['sweep']);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const edit = await silentEdit(source, { table: 'sales_order', id: 2 });
    const changed = (
      await source.query('SELECT agreed_delivery_date FROM sales_order WHERE sales_order_id = 2')
    ).rows[0];
    await pipeline.requestExtraction(['sweep']);
    await eventually(
      'the silently edited order',
      async () => {
        const rows = await query(
          warehouse.url,
          'SELECT 1 FROM fact_sales_order WHERE sales_order_id = 2 AND agreed_delivery_date::text = $1',
          [changed?.agreed_delivery_date],
        );
        return rows.length === 1;
      },
      60,
    );
    expect(edit).toMatchObject({ table: 'sales_order', column: 'agreed_delivery_date' });
  });
});
