import { type TargetTableName, warehouseTables as topology } from '@totes/pipeline';
import { columnSpecs, type WarehouseRow, warehouseRowSchemas } from '@totes/schema';

type RecordIdOf<T extends TargetTableName> = (typeof topology)[T] extends {
  readonly recordId: infer R extends string;
}
  ? R
  : never;

/**
 * One row the transformer writes for a warehouse table.
 *
 * The table's columns without the facts' SERIAL record id, which the warehouse assigns when it
 * loads the row.
 */
export type OutputRow<T extends TargetTableName> = Omit<WarehouseRow<T>, RecordIdOf<T>>;

/** The columns a transformer writes for a warehouse table, in warehouse order (no record id). */
export function outputColumns(target: TargetTableName) {
  const recordId = (topology[target] as { readonly recordId?: string }).recordId;
  return columnSpecs(warehouseRowSchemas[target]).filter((column) => column.name !== recordId);
}
