import { describe, expect, it } from 'vitest';
import { type SourceTableName, totesysTables } from '../src/index';
import validRows from './fixtures/totesys-rows.json' with { type: 'json' };

const tableNames = Object.keys(totesysTables) as SourceTableName[];

function validRowWith(table: SourceTableName, column: string, value: unknown): Record<string, unknown> {
  return { ...validRows[table], [column]: value };
}

describe('totesysTables', () => {
  it('declares the eleven ingested tables and not _prisma_migrations', () => {
    expect(tableNames).toEqual([
      'address',
      'counterparty',
      'currency',
      'department',
      'design',
      'staff',
      'sales_order',
      'purchase_order',
      'transaction',
      'payment',
      'payment_type',
    ]);
  });

  it.each(tableNames)('parses a valid %s row unchanged', (table) => {
    const row = validRows[table];

    const parsed = totesysTables[table].parse(row);

    expect(parsed).toEqual(row);
  });

  it('rejects money given as a float', () => {
    const row = validRowWith('sales_order', 'unit_price', 3.94);

    const result = totesysTables.sales_order.safeParse(row);

    expect(result.success).toBe(false);
  });

  it.each(['3.9', '3.940', '3', '1e2', '123456789.00'])('rejects money written as %s', (unitPrice) => {
    const row = validRowWith('sales_order', 'unit_price', unitPrice);

    const result = totesysTables.sales_order.safeParse(row);

    expect(result.success).toBe(false);
  });

  it.each(['0.00', '-12.50', '99999999.99'])('accepts money written as %s', (amount) => {
    const row = validRowWith('payment', 'payment_amount', amount);

    const result = totesysTables.payment.safeParse(row);

    expect(result.success).toBe(true);
  });

  it.each([
    '2022-11-03 14:20:52.186+00',
    '2022-11-03T14:20:52.186Z',
    '2022-11-03T14:20:52.186',
    '2022-11-03 14:20:52',
    '2022-11-03 14:20:52.18',
    '2022-02-30 14:20:52.186',
  ])('rejects the timestamp %s', (timestamp) => {
    const row = validRowWith('address', 'last_updated', timestamp);

    const result = totesysTables.address.safeParse(row);

    expect(result.success).toBe(false);
  });

  it('rejects an enum label the database does not know', () => {
    const row = validRowWith('payment_type', 'payment_type_name', 'REFUND');

    const result = totesysTables.payment_type.safeParse(row);

    expect(result.success).toBe(false);
  });

  it('rejects NULL in a NOT NULL column', () => {
    const row = validRowWith('address', 'city', null);

    const result = totesysTables.address.safeParse(row);

    expect(result.success).toBe(false);
  });

  it('accepts NULL in a nullable column', () => {
    const row = validRowWith('address', 'district', null);

    const result = totesysTables.address.safeParse(row);

    expect(result.success).toBe(true);
  });

  it.each(['2022-11-3', '2022-02-30', '03/11/2022', '2022-11-03 00:00:00.000'])(
    'rejects the text date %s',
    (date) => {
      const row = validRowWith('payment', 'payment_date', date);

      const result = totesysTables.payment.safeParse(row);

      expect(result.success).toBe(false);
    },
  );

  it.each([1.5, '1', 2 ** 31])('rejects the integer %s', (id) => {
    const row = validRowWith('staff', 'department_id', id);

    const result = totesysTables.staff.safeParse(row);

    expect(result.success).toBe(false);
  });

  it('rejects a currency code longer than varchar(3)', () => {
    const row = validRowWith('currency', 'currency_code', 'GBPX');

    const result = totesysTables.currency.safeParse(row);

    expect(result.success).toBe(false);
  });
});
