import { readFile } from 'node:fs/promises';
import { type SourceTableName, sourceTableNames, sourceTables } from '@totes/pipeline';
import { beforeAll, describe, expect, it } from 'vitest';
import { keysOf, rowsOf, sourceRows, type Totesys, useExtractorTestbed } from './extractor-testbed';

describe('values extracted from totesys keep their meaning', () => {
  const testbed = useExtractorTestbed();
  let totesys: Totesys;
  const extracted = new Map<SourceTableName, Record<string, unknown>[]>();

  beforeAll(async () => {
    totesys = await testbed.totesys();
    await totesys.client.query(
      await readFile(new URL('./fixtures/awkward-rows.sql', import.meta.url), 'utf8'),
    );
    const store = await testbed.bucket();
    for (const table of sourceTableNames) {
      await testbed.handler(totesys, store, { table })({ mode: 'incremental', table });
      const keys = await keysOf(store, `${table}/`);
      const key = sourceTables[table].key;
      const all = (await Promise.all(keys.map((k) => rowsOf(store, k)))).flat();
      extracted.set(
        table,
        all.sort((a, b) => Number(a[key]) - Number(b[key])),
      );
    }
  });

  // By key: event tables come out in watermark order.
  const rows = (table: SourceTableName) => extracted.get(table) ?? [];

  it('keeps milliseconds, trailing zeros included, without a zone', () => {
    expect(rows('currency').map((row) => [row.created_at, row.last_updated])).toEqual([
      ['2022-11-03 14:20:49.000', '2022-11-03 14:20:49.000'],
      ['2022-11-03 14:20:49.100', '2022-11-03 14:20:49.120'],
      ['2022-11-03 14:20:49.962', '2022-11-03 14:20:49.962'],
    ]);
  });

  it('writes money as exact decimal strings, never floats', () => {
    expect(rows('sales_order').map((row) => row.unit_price)).toEqual(['0.00', '99999999.99', '-12.50']);
    expect(rows('purchase_order')[0]?.item_unit_price).toBe('100.10');
  });

  it('writes integers as numbers, booleans as booleans, enum labels and text dates as strings', () => {
    expect(rows('sales_order')[0]).toMatchObject({
      units_sold: 2147483647,
      agreed_delivery_date: '2022-11-10',
    });
    expect(rows('payment').map((row) => [row.paid, row.counterparty_ac_number, row.payment_date])).toEqual([
      [true, -1, '2022-11-04'],
      [false, 87654321, '2022-11-08'],
    ]);
    expect(rows('payment_type').map((row) => row.payment_type_name)).toEqual([
      'SALES_RECEIPT',
      'SALES_REFUND',
      'PURCHASE_PAYMENT',
      'PURCHASE_REFUND',
    ]);
    expect(rows('transaction').map((row) => row.transaction_type)).toEqual(['SALE', 'PURCHASE']);
  });

  it('keeps NULL apart from empty and blank text', () => {
    expect(rows('address').map((row) => [row.address_line_2, row.district])).toEqual([
      [null, null],
      ['', ' '],
    ]);
    expect(rows('transaction').map((row) => [row.sales_order_id, row.purchase_order_id])).toEqual([
      [1, null],
      [null, 1],
    ]);
  });

  it('round-trips backslashes, quotes, tabs, newlines, control characters and non-ASCII text exactly', () => {
    expect(rows('department')[1]).toMatchObject({
      department_name: 'Back\\slash "quoted"\ttab\nnew line\rreturn',
      location: 'café 日本 🎉',
      manager: 'bell\u0007 \\N',
    });
    expect(rows('address')[1]?.address_line_1).toBe('{"json": [1, 2]}');
    expect(rows('purchase_order')[0]?.item_code).toBe('ZDOI5EA\\');
  });

  it.each(sourceTableNames)('renders %s exactly as PostgreSQL renders the row schema', async (table) => {
    expect(rows(table)).toEqual(await sourceRows(totesys.client, table));
  });
});
