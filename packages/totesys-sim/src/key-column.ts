import { columnSpecs, type SourceTableName, totesysTables } from '@totes/schema';

const keys = new Map<SourceTableName, string>();

/** The serial primary-key column of a totesys table (`sales_order` → `sales_order_id`). */
export function keyColumn(table: SourceTableName): string {
  let key = keys.get(table);
  if (key === undefined) {
    key = columnSpecs(totesysTables[table]).find((c) => c.hasDefault && c.pgType === 'integer')?.name;
    if (key === undefined) throw new TypeError(`totesys table ${table} is declared without a serial key`);
    keys.set(table, key);
  }
  return key;
}
