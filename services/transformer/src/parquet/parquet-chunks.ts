import { type KeyValue, ParquetWriter } from 'hyparquet-writer';
import { ChunkWriter } from './chunk-writer';
import type { ColumnValues, ParquetColumn } from './parquet-column';

/** Options of {@link parquetChunks}. */
export interface ParquetChunksOptions {
  /** Rows per row group, and so the most rows held in memory at once. */
  readonly rowGroupRows?: number;
  /** Key-value metadata for the footer, asked for after the last row (it may describe them). */
  readonly metadata: () => Readonly<Record<string, string>>;
}

/** Rows per row group: 50k rows of a fact are a few MB of columns, and ~1 MB of Parquet. */
export const defaultRowGroupRows = 50_000;

// Fixed, so the same rows always give the same bytes.
const createdBy = 'totes-transformer (hyparquet-writer)';

type Row = Readonly<Record<string, unknown>>;

/**
 * Writes batches of rows as one Parquet file, yielding its bytes a row group at a time.
 *
 * Only one row group of columns is ever held, so memory does not grow with the input. The bytes are
 * a pure function of the rows, columns and metadata. A value a column cannot hold throws
 * `RangeError` naming the row (1-based) and the column, before the footer is written.
 */
export async function* parquetChunks(
  columns: readonly ParquetColumn[],
  batches: AsyncIterable<readonly Row[]> | Iterable<readonly Row[]>,
  options: ParquetChunksOptions,
): AsyncGenerator<Uint8Array, void, undefined> {
  const groupRows = options.rowGroupRows ?? defaultRowGroupRows;
  const sink = new ChunkWriter(1 << 20);
  const writer = new ParquetWriter({
    writer: sink,
    schema: [{ name: 'root', num_children: columns.length }, ...columns.map((column) => column.element)],
    createdBy,
  });
  const buffers: ColumnValues[] = columns.map((column) => column.allocate(groupRows));
  let filled = 0;
  let rowNumber = 0;
  const writeGroup = () => {
    writer.write({
      columnData: columns.map((column, index) => ({
        name: column.name,
        data:
          filled === groupRows
            ? (buffers[index] as never)
            : ((buffers[index] as ColumnValues).slice(0, filled) as never),
      })),
      rowGroupSize: filled,
    });
    filled = 0;
  };
  yield* sink.take();
  for await (const batch of batches) {
    for (const row of batch) {
      rowNumber += 1;
      for (let index = 0; index < columns.length; index += 1) {
        const column = columns[index] as ParquetColumn;
        try {
          (buffers[index] as unknown[])[filled] = column.encode(row[column.name]);
        } catch (error) {
          throw new RangeError(`row ${rowNumber}, column ${column.name}: ${(error as Error).message}`, {
            cause: error,
          });
        }
      }
      filled += 1;
      if (filled === groupRows) writeGroup();
    }
    yield* sink.take();
  }
  if (filled > 0) writeGroup();
  writer.kvMetadata = Object.entries(options.metadata()).map(([key, value]): KeyValue => ({ key, value }));
  writer.finish();
  yield* sink.take();
}
