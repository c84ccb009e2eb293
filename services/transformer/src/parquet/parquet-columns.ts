import type { TargetTableName } from '@totes/pipeline';
import { outputColumns } from '../output-row';
import { type ParquetColumn, parquetColumn } from './parquet-column';

const cache = new Map<TargetTableName, readonly ParquetColumn[]>();

/** The Parquet columns of a warehouse table's processed objects, in warehouse order. */
export function parquetColumns(target: TargetTableName): readonly ParquetColumn[] {
  let columns = cache.get(target);
  if (!columns) {
    columns = outputColumns(target).map(parquetColumn);
    cache.set(target, columns);
  }
  return columns;
}
