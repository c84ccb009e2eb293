import { quarantinedValue, type SourceTableName, sourceTables } from '@totes/pipeline';
import { RowContractError } from './row-contract-error';
import type { ScreenedBatch } from './screened-batch';

/**
 * Maps a screened batch row by row.
 *
 * A row whose mapping breaks a rule ({@link RowContractError}) joins the batch's quarantined rows,
 * naming its line, the column and value at fault and why; the others are mapped, keeping their
 * lines. Any other error is a defect and is thrown.
 */
export function mapScreened<In, Out>(
  batch: ScreenedBatch<In>,
  map: (row: In) => Out,
  source: { readonly key: string; readonly table: SourceTableName },
): ScreenedBatch<Out> {
  const idColumn = sourceTables[source.table].key;
  const mapped: ScreenedBatch<Out> = { rows: [], lines: [], quarantined: [...batch.quarantined] };
  batch.rows.forEach((row, index) => {
    const line = batch.lines[index] ?? 0;
    try {
      mapped.rows.push(map(row));
      mapped.lines.push(line);
    } catch (error) {
      if (!(error instanceof RowContractError)) throw error;
      mapped.quarantined.push({
        sourceTable: source.table,
        sourceId: (row as Record<string, unknown>)[idColumn] as number,
        objectKey: source.key,
        line,
        column: error.column,
        value: error.column === null ? null : quarantinedValue(error.value ?? null),
        reason: error.message,
      });
    }
  });
  return mapped;
}
