import type { FileMetaData } from 'hyparquet';
import type { KeyRange } from './key-range';

/**
 * The range of an integer column's values over every row group, from a Parquet footer's statistics.
 *
 * hyparquet-writer, and so the transformer, writes them by default; undefined when the file has no
 * rows or any row group lacks them. Reading it costs nothing, so the loader can tell before reading
 * a single row whether an object's natural keys are all new.
 */
export function footerKeyRange(footer: FileMetaData, column: string): KeyRange | undefined {
  let range: KeyRange | undefined;
  for (const group of footer.row_groups) {
    if (Number(group.num_rows) === 0) continue;
    const chunk = group.columns.find((candidate) => candidate.meta_data?.path_in_schema.join('.') === column);
    const { min_value: min, max_value: max } = chunk?.meta_data?.statistics ?? {};
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max)) return undefined;
    const groupRange = { min: min as number, max: max as number };
    range = range
      ? { min: Math.min(range.min, groupRange.min), max: Math.max(range.max, groupRange.max) }
      : groupRange;
  }
  return range;
}
