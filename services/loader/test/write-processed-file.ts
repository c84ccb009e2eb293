import type { TargetTableName } from '@totes/pipeline';
import { fileWriter, ParquetWriter } from 'hyparquet-writer';
import {
  type ProcessedObjectOptions,
  type ProcessedRow,
  processedColumns,
  processedKeyValues,
  processedSchema,
} from './processed-object';

/**
 * Writes a processed object of any size to a local file, one batch of rows at a time (each batch
 * becomes one or more row groups), so the writer's memory does not grow with the file. The
 * footer's row count is `rows`, which must equal the rows the batches hold.
 */
export function writeProcessedFile<T extends TargetTableName>(
  path: string,
  table: T,
  rows: number,
  batches: Iterable<readonly ProcessedRow<T>[]>,
  options: ProcessedObjectOptions = {},
): void {
  const writer = new ParquetWriter({
    writer: fileWriter(path),
    schema: processedSchema(table, options.decimal),
    kvMetadata: processedKeyValues(rows, options),
  });
  for (const batch of batches) {
    writer.write({
      columnData: processedColumns(table, batch),
      ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
    });
  }
  writer.finish();
}
