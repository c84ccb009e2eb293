import type { TargetTableName } from '@totes/pipeline';
import { warehouseRowSchemas as warehouseSchemas } from '@totes/schema';
import { z } from 'zod';
import { tableLayout } from '../src/statements/table-layout';
import rows from './fixtures/warehouse-rows.json' with { type: 'json' };
import type { ProcessedRow } from './processed-object';

/**
 * Sample rows of a warehouse table from `fixtures/warehouse-rows.json`, checked against the
 * table's row schema (so a fixture cannot drift from the declarations). The facts reference
 * only dimension rows of the same file.
 */
export function fixtureRows<T extends TargetTableName>(table: T): ProcessedRow<T>[] {
  const shape: Record<string, z.ZodType> = warehouseSchemas[table].shape;
  const columns = tableLayout(table).columns.map((column) => [column.name, shape[column.name] ?? z.never()]);
  const schema = z.strictObject(Object.fromEntries(columns));
  return schema.array().parse((rows as Record<string, unknown>)[table]) as unknown as ProcessedRow<T>[];
}
