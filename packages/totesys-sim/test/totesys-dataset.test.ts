import { createHash } from 'node:crypto';
import type { SourceTableName, TotesysRow } from '@totes/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { SimulatorError, totesysDataset } from '../src/index';

type Tables = { [T in SourceTableName]: TotesysRow<T>[] };

function generate(scale: number, seed: number, silentEdits = true): Tables {
  const dataset = totesysDataset({ scale, seed });
  const tables = {} as Record<SourceTableName, unknown[]>;
  for (const table of dataset.tables) tables[table] = [...dataset.rows(table, { silentEdits })].flat();
  return tables as Tables;
}

function digest(tables: Partial<Tables>): string {
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex');
}

const hours = (from: string, to: string) =>
  (Date.parse(`${to.replace(' ', 'T')}Z`) - Date.parse(`${from.replace(' ', 'T')}Z`)) / 3_600_000;

describe('totesysDataset', () => {
  let sf1: Tables;
  beforeAll(() => {
    sf1 = generate(1, 1);
  });

  it('has the late-2024 sizes at scale factor 1', () => {
    expect({
      address: sf1.address.length,
      counterparty: sf1.counterparty.length,
      currency: sf1.currency.length,
      department: sf1.department.length,
      payment_type: sf1.payment_type.length,
      staff: sf1.staff.length,
    }).toEqual({ address: 30, counterparty: 20, currency: 3, department: 8, payment_type: 4, staff: 20 });
    expect(sf1.design.length).toBeGreaterThanOrEqual(470 * 0.97);
    expect(sf1.design.length).toBeLessThanOrEqual(470 * 1.03);
    expect(sf1.sales_order.length).toBeGreaterThanOrEqual(11_000 * 0.97);
    expect(sf1.sales_order.length).toBeLessThanOrEqual(11_000 * 1.03);
    expect(sf1.purchase_order.length).toBeGreaterThanOrEqual(4_600 * 0.97);
    expect(sf1.purchase_order.length).toBeLessThanOrEqual(4_600 * 1.03);
    expect(sf1.transaction.length).toBe(sf1.sales_order.length + sf1.purchase_order.length);
    expect(sf1.payment.length).toBe(sf1.transaction.length);
  });

  it('scales the growing tables and keeps the reference tables', () => {
    const dataset = totesysDataset({ scale: 3, seed: 1 });
    const count = (table: SourceTableName) =>
      [...dataset.rows(table)].reduce((n, chunk) => n + chunk.length, 0);
    expect(count('staff')).toBe(20);
    expect(count('address')).toBe(30);
    expect(count('sales_order') / sf1.sales_order.length).toBeCloseTo(3, 1);
    expect(count('design') / sf1.design.length).toBeCloseTo(3, 1);
  });

  it('gives the same rows for the same seed and different rows for another', () => {
    expect(digest(generate(1, 1))).toBe(digest(sf1));
    const other = generate(1, 2);
    expect(digest({ sales_order: other.sales_order })).not.toBe(digest({ sales_order: sf1.sales_order }));
    expect(digest({ address: other.address })).not.toBe(digest({ address: sf1.address }));
  });

  it('numbers every table 1..N without gaps', () => {
    for (const table of Object.keys(sf1) as SourceTableName[]) {
      const rows = sf1[table] as readonly Record<string, unknown>[];
      expect(rows.filter((row, i) => row[`${table}_id`] !== i + 1)).toEqual([]);
    }
  });

  it('creates orders, designs, transactions and payments on weekdays from 08:00 to 18:59 only', () => {
    const officeHours = /^\d{4}-\d{2}-\d{2} (0[89]|1\d):\d{2}:\d{2}\.\d{3}$/;
    const isWeekend = (at: string) => [0, 6].includes(new Date(`${at.slice(0, 10)}T00:00:00Z`).getUTCDay());
    for (const rows of [
      sf1.sales_order,
      sf1.purchase_order,
      sf1.transaction,
      sf1.payment,
      sf1.design.slice(60),
    ]) {
      expect(rows.map((r) => r.created_at).filter((at) => !officeHours.test(at) || isWeekend(at))).toEqual(
        [],
      );
    }
    expect(sf1.sales_order[0]?.created_at.slice(0, 10)).toBe('2022-11-03');
    expect(sf1.sales_order.at(-1)?.created_at.slice(0, 4)).toBe('2024');
  });

  it('creates each transaction and payment at the millisecond of its order', () => {
    const sales = new Map(sf1.sales_order.map((o) => [o.sales_order_id, o]));
    const purchases = new Map(sf1.purchase_order.map((o) => [o.purchase_order_id, o]));
    const mismatched = sf1.transaction.filter((t) => {
      const isSale = t.transaction_type === 'SALE';
      const order = isSale ? sales.get(t.sales_order_id ?? -1) : purchases.get(t.purchase_order_id ?? -1);
      const payment = sf1.payment[t.transaction_id - 1];
      return (
        (isSale ? t.purchase_order_id : t.sales_order_id) !== null ||
        order?.created_at !== t.created_at ||
        payment?.transaction_id !== t.transaction_id ||
        payment.created_at !== t.created_at ||
        payment.payment_type_id !== (isSale ? 1 : 3) ||
        payment.counterparty_id !== order.counterparty_id ||
        payment.currency_id !== order.currency_id
      );
    });
    expect(mismatched).toEqual([]);
    expect(sf1.transaction.map((t) => t.sales_order_id).filter((id) => id !== null)).toHaveLength(
      sf1.sales_order.length,
    );
  });

  it('charges units × price on each payment', () => {
    const cents = (amount: string) => Number(amount.replace('.', ''));
    const wrong = sf1.payment.filter((p) => {
      const t = sf1.transaction[p.transaction_id - 1];
      const sale = sf1.sales_order[(t?.sales_order_id ?? 0) - 1];
      const purchase = sf1.purchase_order[(t?.purchase_order_id ?? 0) - 1];
      const expected = sale
        ? sale.units_sold * cents(sale.unit_price)
        : (purchase?.item_quantity ?? Number.NaN) * cents(purchase?.item_unit_price ?? '');
      return !/^\d+\.\d{2}$/.test(p.payment_amount) || cents(p.payment_amount) !== expected;
    });
    expect(wrong).toEqual([]);
  });

  it('settles payments 13 to 144 hours after their order, on the settlement day', () => {
    const paid = sf1.payment.filter((p) => p.paid);
    const unpaid = sf1.payment.filter((p) => !p.paid);
    expect(paid.length).toBeGreaterThan(sf1.payment.length * 0.95);
    expect(unpaid.length).toBeGreaterThan(0);
    const elapsed = paid.map((p) => hours(p.created_at, p.last_updated));
    expect(Math.min(...elapsed)).toBeGreaterThanOrEqual(13);
    expect(Math.max(...elapsed)).toBeLessThanOrEqual(144);
    expect(paid.filter((p) => p.payment_date !== p.last_updated.slice(0, 10))).toEqual([]);
    expect(
      unpaid.filter(
        (p) =>
          p.last_updated !== p.created_at ||
          hours(p.created_at, '2024-11-15 19:00:00.000') >= 144 ||
          !/^\d{4}-\d{2}-\d{2}$/.test(p.payment_date),
      ),
    ).toEqual([]);
  });

  it('agrees delivery and payment a few days after the order', () => {
    const original = generate(1, 1, false);
    const early = [...original.sales_order, ...original.purchase_order].filter((o) =>
      [o.agreed_delivery_date, o.agreed_payment_date].some((date) => {
        const days = hours(`${o.created_at.slice(0, 10)} 00:00:00.000`, `${date} 00:00:00.000`) / 24;
        return !/^\d{4}-\d{2}-\d{2}$/.test(date) || days < 1 || days > 8;
      }),
    );
    expect(early).toEqual([]);
  });

  it('never has a last_updated before created_at', () => {
    for (const table of Object.keys(sf1) as SourceTableName[]) {
      const rows = sf1[table] as readonly { created_at: string; last_updated: string }[];
      expect(rows.filter((row) => row.last_updated < row.created_at)).toEqual([]);
    }
  });

  it('refers only to rows that exist, designs included', () => {
    const designCreated = sf1.design.map((d) => d.created_at);
    const dangling = sf1.sales_order.filter(
      (o) =>
        (designCreated[o.design_id - 1] ?? '9999') > o.created_at ||
        o.staff_id > 20 ||
        o.counterparty_id > 20 ||
        o.currency_id > 3 ||
        o.agreed_delivery_location_id > 30,
    );
    expect(dangling).toEqual([]);
    expect(sf1.counterparty.filter((c) => c.legal_address_id > 30)).toEqual([]);
    expect(sf1.staff.filter((s) => s.department_id > 8)).toEqual([]);
  });

  it('keeps the real data’s NULL patterns and quirks', () => {
    const share = (rows: readonly unknown[], isNull: (row: never) => boolean) =>
      rows.filter((r) => isNull(r as never)).length / rows.length;
    expect(share(sf1.address, (a: TotesysRow<'address'>) => a.address_line_2 === null)).toBeGreaterThan(0.3);
    expect(share(sf1.address, (a: TotesysRow<'address'>) => a.district === null)).toBeGreaterThan(0.3);
    expect(
      share(sf1.counterparty, (c: TotesysRow<'counterparty'>) => c.commercial_contact === null),
    ).toBeGreaterThan(0);
    expect(
      share(sf1.counterparty, (c: TotesysRow<'counterparty'>) => c.delivery_contact === null),
    ).toBeGreaterThan(0);
    expect(sf1.department).toContainEqual(
      expect.objectContaining({ department_name: 'Dispatch', location: 'Leds' }),
    );
    expect(sf1.currency.map((c) => c.currency_code)).toEqual(['GBP', 'USD', 'EUR']);
    expect(sf1.payment_type.map((p) => p.payment_type_name)).toEqual([
      'SALES_RECEIPT',
      'SALES_REFUND',
      'PURCHASE_PAYMENT',
      'PURCHASE_REFUND',
    ]);
  });

  it('edits a few orders and designs silently: one value differs, last_updated does not', () => {
    const original = generate(1, 1, false);
    const dataset = totesysDataset({ scale: 1, seed: 1 });
    for (const table of ['sales_order', 'purchase_order', 'design'] as const) {
      const before = original[table] as readonly Record<string, unknown>[];
      const after = sf1[table] as readonly Record<string, unknown>[];
      const changed = after.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[i]));
      expect(changed.length).toBeGreaterThanOrEqual(2);
      expect(changed.length).toBeLessThanOrEqual(10);
      for (const row of changed) {
        const id = row[`${table}_id`] as number;
        expect(dataset.isSilentlyEdited(table, id)).toBe(true);
        const was = before[id - 1] as Record<string, unknown>;
        const differing = Object.keys(row).filter((k) => row[k] !== was[k]);
        expect(differing).toHaveLength(1);
        expect(differing).not.toContain('last_updated');
      }
    }
    expect(JSON.stringify(original.transaction)).toBe(JSON.stringify(sf1.transaction));
  });

  it('refuses a scale or seed it cannot use, saying what is wrong', () => {
    expect(() => totesysDataset({ scale: 0, seed: 1 })).toThrow(SimulatorError);
    expect(() => totesysDataset({ scale: Number.NaN, seed: 1 })).toThrow(/scale must be a number above 0/);
    expect(() => totesysDataset({ scale: 1, seed: -1 })).toThrow(/seed must be a whole number/);
    expect(() => totesysDataset({ scale: 1, seed: 1.5 })).toThrow(SimulatorError);
  });
});
