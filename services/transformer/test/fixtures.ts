import { type SourceTableName, type TotesysRow, totesysTables } from '@totes/schema';
import data from './fixtures/totesys.json' with { type: 'json' };

/**
 * A small, consistent totesys (three addresses, one of them unreferenced; 'Dispatch' in 'Leds';
 * NULL address lines and districts), validated by the row schemas so a fixture can never drift
 * from the source's representation.
 */
export const totesys = Object.fromEntries(
  Object.entries(data).map(([table, rows]) => [
    table,
    (rows as unknown[]).map((row) => totesysTables[table as SourceTableName].parse(row)),
  ]),
) as unknown as { readonly [T in SourceTableName]: readonly TotesysRow<T>[] };

/** One fixture row by table and position. */
export function fixtureRow<T extends SourceTableName>(table: T, index: number): TotesysRow<T> {
  const row = totesys[table][index];
  if (!row) throw new Error(`the fixture has no ${table} row ${index}`);
  return row;
}

/** Rows as a JSON Lines object body. */
export function jsonLines(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/**
 * The fact_sales_order rows SPEC.md's rules make of the first two sales_order fixture rows:
 * timestamps split, staff_id renamed, and a created and last-updated date that differ around a
 * year end, with a leap day.
 */
export const expectedFactSalesOrder = [
  {
    sales_order_id: 2,
    created_date: '2022-11-03',
    created_time: '14:20:52.186',
    last_updated_date: '2022-11-03',
    last_updated_time: '14:20:52.186',
    sales_staff_id: 1,
    counterparty_id: 1,
    units_sold: 42972,
    unit_price: '3.94',
    currency_id: 2,
    design_id: 8,
    agreed_payment_date: '2022-11-08',
    agreed_delivery_date: '2022-11-07',
    agreed_delivery_location_id: 3,
  },
  {
    sales_order_id: 3,
    created_date: '2023-12-31',
    created_time: '23:59:59.007',
    last_updated_date: '2024-01-01',
    last_updated_time: '00:00:00.000',
    sales_staff_id: 2,
    counterparty_id: 2,
    units_sold: 1,
    unit_price: '2.55',
    currency_id: 1,
    design_id: 51,
    agreed_payment_date: '2024-01-05',
    agreed_delivery_date: '2024-02-29',
    agreed_delivery_location_id: 1,
  },
] as const;
