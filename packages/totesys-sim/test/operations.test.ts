import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  editReference,
  insertPurchaseOrder,
  insertSalesOrder,
  SimulatorError,
  seedTotesys,
  settlePayments,
  silentEdit,
} from '../src/index';

/** A row with its timestamps as `YYYY-MM-DD HH:MM:SS.mmm` text. */
async function row(client: pg.Client, table: string, id: number): Promise<Record<string, unknown>> {
  const { rows } = await client.query(
    `SELECT *, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.MS') AS created_at,
            to_char(last_updated, 'YYYY-MM-DD HH24:MI:SS.MS') AS last_updated
       FROM ${pg.escapeIdentifier(table)} WHERE ${pg.escapeIdentifier(`${table}_id`)} = $1`,
    [id],
  );
  const found = rows[0];
  if (!found) throw new Error(`no ${table} ${id}`);
  return found;
}

describe('single operations on a seeded totesys', () => {
  const db = useTestDatabase('sim_ops');
  let client: pg.Client;

  beforeAll(async () => {
    await seedTotesys(db.url, { scale: 0.05, seed: 7 });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it('inserts a sales order with its transaction and unpaid payment at one millisecond', async () => {
    const at = '2025-02-03 10:15:42.070';
    const order = await insertSalesOrder(
      client,
      { units_sold: 1200, unit_price: '3.15', counterparty_id: 4 },
      { at },
    );
    expect(await row(client, 'sales_order', order.orderId)).toMatchObject({
      created_at: at,
      last_updated: at,
      units_sold: 1200,
      unit_price: '3.15',
      counterparty_id: 4,
      agreed_delivery_date: '2025-02-06',
    });
    expect(await row(client, 'transaction', order.transactionId)).toMatchObject({
      transaction_type: 'SALE',
      sales_order_id: order.orderId,
      purchase_order_id: null,
      created_at: at,
      last_updated: at,
    });
    expect(await row(client, 'payment', order.paymentId)).toMatchObject({
      transaction_id: order.transactionId,
      payment_amount: '3780.00',
      payment_type_id: 1,
      counterparty_id: 4,
      paid: false,
      created_at: at,
      last_updated: at,
    });
  });

  it('inserts a purchase order with a PURCHASE transaction and a type-3 payment', async () => {
    const order = await insertPurchaseOrder(client, { item_quantity: 3, item_unit_price: '19.99' });
    expect(await row(client, 'transaction', order.transactionId)).toMatchObject({
      transaction_type: 'PURCHASE',
      sales_order_id: null,
      purchase_order_id: order.orderId,
    });
    expect(await row(client, 'payment', order.paymentId)).toMatchObject({
      payment_amount: '59.97',
      payment_type_id: 3,
    });
    expect(order.at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/);
  });

  it('leaves nothing behind when the caller rolls its own transaction back', async () => {
    const before = await client.query('SELECT count(*)::int AS n FROM sales_order');
    await client.query('BEGIN');
    await insertSalesOrder(client, {}, { ownTransaction: false });
    await client.query('ROLLBACK');
    const after = await client.query('SELECT count(*)::int AS n FROM sales_order');
    expect(after.rows).toEqual(before.rows);
  });

  it('inserts all three rows or none', async () => {
    const before = await client.query(
      'SELECT (SELECT count(*) FROM sales_order) AS s, (SELECT count(*) FROM payment) AS p',
    );
    await expect(insertSalesOrder(client, { counterparty_id: 999_999 })).rejects.toThrow(/foreign key/);
    const after = await client.query(
      'SELECT (SELECT count(*) FROM sales_order) AS s, (SELECT count(*) FROM payment) AS p',
    );
    expect(after.rows).toEqual(before.rows);
  });

  it('settles chosen payments: paid, the settlement day as payment_date, last_updated bumped', async () => {
    const order = await insertSalesOrder(client, {}, { at: '2025-03-07 17:00:00.000' });
    const settled = await settlePayments(client, {
      paymentIds: [order.paymentId],
      at: '2025-03-08 06:30:00.125',
    });
    expect(settled).toEqual([order.paymentId]);
    expect(await row(client, 'payment', order.paymentId)).toMatchObject({
      paid: true,
      payment_date: '2025-03-08',
      created_at: '2025-03-07 17:00:00.000',
      last_updated: '2025-03-08 06:30:00.125',
    });
    expect(await settlePayments(client, { paymentIds: [order.paymentId] })).toEqual([]);
  });

  it('edits a row silently: the value changes and last_updated does not', async () => {
    for (const table of ['sales_order', 'purchase_order', 'design'] as const) {
      const before = await row(client, table, 2);
      const edit = await silentEdit(client, { table, id: 2 });
      const after = await row(client, table, 2);
      expect(edit.before).toEqual(before[edit.column]);
      expect(edit.after).not.toEqual(edit.before);
      expect(after).toEqual({ ...before, [edit.column]: edit.after });
    }
  });

  it('edits a reference row openly, bumping last_updated', async () => {
    const before = await row(client, 'staff', 3);
    const edit = await editReference(client, { table: 'staff', id: 3 }, { at: '2025-04-01 09:00:00.000' });
    expect(edit.column).toBe('email_address');
    expect(await row(client, 'staff', 3)).toEqual({
      ...before,
      email_address: edit.after,
      last_updated: '2025-04-01 09:00:00.000',
    });
  });

  it('says which row is missing when asked to edit one that does not exist', async () => {
    await expect(silentEdit(client, { table: 'design', id: 999_999 })).rejects.toThrow(SimulatorError);
    await expect(silentEdit(client, { table: 'design', id: 999_999 })).rejects.toThrow(
      'design has no row with id 999999',
    );
  });
});
