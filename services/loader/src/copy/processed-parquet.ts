import { MalformedObjectError, type ProcessedMetadata, readProcessedMetadata } from '@totes/pipeline';
import {
  type AsyncBuffer,
  type ColumnData,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  type SchemaElement,
} from 'hyparquet';
import { footerKeyRange } from '../plan/footer-key-range';
import type { KeyRange } from '../plan/key-range';
import type { LoadColumn, TableLayout } from '../statements/table-layout';
import { type BinaryField, binaryField } from './binary-field';

/**
 * The decoded columns of one row group, in the layout's column order, as stored.
 *
 * Integers, DECIMAL unscaled integers, DATE days since the epoch, TIME milliseconds of the day,
 * strings as UTF-8 bytes, booleans; `null` or `undefined` for NULL.
 */
export interface RowGroupColumns {
  readonly rows: number;
  readonly columns: readonly ArrayLike<unknown>[];
}

/** A processed object whose footer has been read and checked against its table's layout. */
export interface ProcessedParquet {
  readonly key: string;
  readonly metadata: ProcessedMetadata;
  readonly rows: number;
  /** The DECIMAL scale of each column as the file declares it (0 for other columns). */
  readonly scales: readonly number[];
  /** How each column's values are written to a binary COPY (DECIMAL scales from the file). */
  readonly fields: readonly BinaryField[];
  /**
   * The range of the natural keys, as the footer's column statistics give it (not checked
   * against the rows); absent when the file has no rows or no statistics.
   */
  readonly naturalKeys?: KeyRange;
  /** Reads the rows one row group at a time, so memory stays bounded by the row-group size. */
  rowGroups(): AsyncGenerator<RowGroupColumns, void, undefined>;
}

function isDecimal(element: SchemaElement): boolean {
  return element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
}

function describe(element: SchemaElement): string {
  return [element.type, element.converted_type, element.logical_type?.type].filter(Boolean).join('/');
}

/** Checks a column's Parquet type against the warehouse column; returns its DECIMAL scale. */
function columnScale(element: SchemaElement, column: LoadColumn): number {
  const mismatch = () =>
    new RangeError(
      `column ${column.name} is ${describe(element)}, expected ${column.kind} for ${column.pgType}`,
    );
  if (element.num_children || element.repetition_type === 'REPEATED') throw mismatch();
  const plain = !element.converted_type && !element.logical_type;
  switch (column.kind) {
    case 'integer':
      if (element.type !== 'INT32' || !(plain || element.converted_type === 'INT_32')) throw mismatch();
      return 0;
    case 'decimal': {
      const physical = ['INT32', 'INT64', 'FIXED_LEN_BYTE_ARRAY', 'BYTE_ARRAY'];
      if (!isDecimal(element) || !physical.includes(element.type ?? '')) throw mismatch();
      const logical = element.logical_type?.type === 'DECIMAL' ? element.logical_type.scale : undefined;
      return element.scale ?? logical ?? 0;
    }
    case 'date':
      if (
        element.type !== 'INT32' ||
        !(element.converted_type === 'DATE' || element.logical_type?.type === 'DATE')
      )
        throw mismatch();
      return 0;
    case 'time': {
      const millis =
        element.converted_type === 'TIME_MILLIS' ||
        (element.logical_type?.type === 'TIME' && element.logical_type.unit === 'MILLIS');
      if (element.type !== 'INT32' || !millis) throw mismatch();
      return 0;
    }
    case 'string':
      if (
        element.type !== 'BYTE_ARRAY' ||
        !(element.converted_type === 'UTF8' || element.logical_type?.type === 'STRING')
      )
        throw mismatch();
      return 0;
    case 'boolean':
      if (element.type !== 'BOOLEAN') throw mismatch();
      return 0;
  }
}

function isDate(element: SchemaElement): boolean {
  return element.converted_type === 'DATE' || element.logical_type?.type === 'DATE';
}

/**
 * The same footer with DECIMAL and DATE annotations removed, so hyparquet hands over the values as
 * stored: DECIMAL unscaled integers instead of floats (it has no option for exact decimals), and
 * DATE days as the Int32Array it decoded instead of a converted copy.
 */
function withRawValues(metadata: FileMetaData): FileMetaData {
  return {
    ...metadata,
    schema: metadata.schema.map((element) => {
      if (!isDecimal(element) && !isDate(element)) return element;
      const { converted_type: _converted, logical_type: _logical, ...raw } = element;
      return raw;
    }),
  };
}

function checkLayout(metadata: FileMetaData, layout: TableLayout): readonly number[] {
  const [root, ...elements] = metadata.schema;
  const names = elements.map((element) => element.name);
  const expected = layout.columns.map((column) => column.name);
  if (root?.num_children !== expected.length || names.join(',') !== expected.join(',')) {
    throw new RangeError(`its columns are (${names.join(', ')}), expected (${expected.join(', ')})`);
  }
  return layout.columns.map((column, index) => columnScale(elements[index] as SchemaElement, column));
}

function assemble(pieces: readonly ColumnData[], groupStart: number, rows: number): ArrayLike<unknown> {
  const [only] = pieces;
  if (pieces.length === 1 && only && only.rowStart === groupStart && only.columnData.length === rows) {
    return only.columnData;
  }
  const values = new Array<unknown>(rows);
  for (const piece of pieces) {
    for (let index = 0; index < piece.columnData.length; index += 1) {
      const row = piece.rowStart - groupStart + index;
      if (row >= 0 && row < rows) values[row] = piece.columnData[index];
    }
  }
  return values;
}

function malformed(key: string, error: unknown): MalformedObjectError {
  if (error instanceof MalformedObjectError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new MalformedObjectError(key, undefined, `not a readable processed Parquet object: ${reason}`, {
    cause: error,
  });
}

/**
 * Opens a processed object.
 *
 * Reads its footer, checks its columns (names, order and Parquet types) against the table's layout
 * and its key-value metadata, and gives its rows row group by row group. Anything unreadable throws
 * {@link MalformedObjectError} naming the object and the reason.
 */
export async function openProcessedParquet(
  file: AsyncBuffer,
  layout: TableLayout,
  key: string,
): Promise<ProcessedParquet> {
  let footer: FileMetaData;
  let metadata: ProcessedMetadata;
  let scales: readonly number[];
  try {
    footer = await parquetMetadataAsync(file);
    scales = checkLayout(footer, layout);
    metadata = readProcessedMetadata(footer.key_value_metadata);
    if (metadata.rows !== Number(footer.num_rows)) {
      throw new RangeError(`its metadata says ${metadata.rows} rows, its footer ${footer.num_rows}`);
    }
  } catch (error) {
    throw malformed(key, error);
  }
  const raw = withRawValues(footer);
  const names = layout.columns.map((column) => column.name);

  async function* rowGroups(): AsyncGenerator<RowGroupColumns, void, undefined> {
    let groupStart = 0;
    for (const group of raw.row_groups) {
      const rows = Number(group.num_rows);
      const pieces = new Map<string, ColumnData[]>(names.map((name) => [name, []]));
      try {
        await parquetRead({
          file,
          metadata: raw,
          columns: [...names],
          rowStart: groupStart,
          rowEnd: groupStart + rows,
          utf8: false,
          // UTF-8 bytes are kept as stored: the binary COPY takes them as they are.
          parsers: { stringFromBytes: (bytes: Uint8Array) => bytes },
          onChunk: (chunk) => pieces.get(chunk.columnName)?.push(chunk),
        });
      } catch (error) {
        throw malformed(key, error);
      }
      yield { rows, columns: names.map((name) => assemble(pieces.get(name) ?? [], groupStart, rows)) };
      groupStart += rows;
    }
  }

  const fields = layout.columns.map((column, index) => binaryField(column.kind, scales[index]));
  const naturalKeys = footerKeyRange(footer, layout.naturalKey);
  return {
    key,
    metadata,
    rows: Number(footer.num_rows),
    scales,
    fields,
    rowGroups,
    ...(naturalKeys === undefined ? {} : { naturalKeys }),
  };
}
