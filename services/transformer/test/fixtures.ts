import { type TotesysRow, type TotesysTableName, totesysTables } from '@totes/schema';
import data from './fixtures/totesys.json' with { type: 'json' };

/**
 * A small, consistent totesys (three addresses, one of them unreferenced; 'Dispatch' in 'Leds';
 * NULL address lines and districts), validated by the row schemas so a fixture can never drift
 * from the source's representation.
 */
export const totesys = Object.fromEntries(
  Object.entries(data).map(([table, rows]) => [
    table,
    (rows as unknown[]).map((row) => totesysTables[table as TotesysTableName].parse(row)),
  ]),
) as unknown as { readonly [T in TotesysTableName]: readonly TotesysRow<T>[] };

/** One fixture row by table and position. */
export function fixtureRow<T extends TotesysTableName>(table: T, index: number): TotesysRow<T> {
  const row = totesys[table][index];
  if (!row) throw new Error(`the fixture has no ${table} row ${index}`);
  return row;
}

/** Rows as a JSON Lines object body. */
export function jsonLines(rows: readonly object[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}
