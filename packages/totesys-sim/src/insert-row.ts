import { columnsOf, type SourceTableName, type TotesysRow, totesysTables } from '@totes/schema';
import pg from 'pg';
import { keyColumn } from './key-column';

/**
 * Inserts one row with bound parameters and returns its key.
 *
 * Columns left out of `row` (the key, usually) take their defaults; keys of `row` that are not
 * columns of the table are ignored.
 */
export async function insertRow<T extends SourceTableName>(
  client: pg.ClientBase,
  table: T,
  row: Partial<TotesysRow<T>>,
): Promise<number> {
  const values = row as Readonly<Record<string, unknown>>;
  const columns = columnsOf(totesysTables[table]).filter((c) => values[c] !== undefined);
  const key = keyColumn(table);
  const { rows } = await client.query<Record<string, number>>(
    `INSERT INTO ${pg.escapeIdentifier(table)} (${columns.map((c) => pg.escapeIdentifier(c)).join(', ')})
     VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${pg.escapeIdentifier(key)} AS key`,
    columns.map((c) => values[c]),
  );
  const id = rows[0]?.key;
  if (id === undefined) throw new Error(`INSERT INTO ${table} returned no key`);
  return id;
}
