import type { SourceTableName } from '@totes/schema';
import pg from 'pg';
import { keyColumn } from './key-column';
import type { ReferenceLimits } from './order-draft';

/** Highest ids of the tables the simulator picks rows from, as they are in the database. */
export interface TableLimits extends ReferenceLimits {
  readonly department: number;
  readonly sales_order: number;
  readonly purchase_order: number;
}

const limitTables = [
  'address',
  'counterparty',
  'currency',
  'department',
  'staff',
  'design',
  'sales_order',
  'purchase_order',
] as const satisfies readonly (keyof TableLimits & SourceTableName)[];

/** Reads {@link TableLimits}: the highest id in each table (0 for an empty table). */
export async function readLimits(client: pg.ClientBase): Promise<TableLimits> {
  const selects = limitTables.map((table) => {
    const key = pg.escapeIdentifier(keyColumn(table));
    return `(SELECT coalesce(max(${key}), 0) FROM ${pg.escapeIdentifier(table)}) AS ${pg.escapeIdentifier(table)}`;
  });
  const { rows } = await client.query<TableLimits>(`SELECT ${selects.join(', ')}`);
  const limits = rows[0];
  if (!limits) throw new Error('reading the highest ids returned no row');
  return limits;
}
