import {
  processedMetadata,
  type QuarantinedRow,
  type SourceTableName,
  type TargetTableName,
} from '@totes/pipeline';
import type { WarehouseRow } from '@totes/schema';
import { type ColumnSource, parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { type LoadColumn, tableLayout } from '../src/statements/table-layout';

/** A processed row as the transformer holds it: the warehouse row without the facts' record id. */
export type ProcessedRow<T extends TargetTableName> = Omit<
  WarehouseRow<T>,
  'sales_record_id' | 'purchase_record_id' | 'payment_record_id'
>;

/** The physical type a fixture stores DECIMAL(10,2) in (the transformer uses INT64). */
export type DecimalStorage = 'INT32' | 'INT64' | 'FIXED_LEN_BYTE_ARRAY';

/** How a fixture object is written. */
export interface ProcessedObjectOptions {
  readonly maxLastUpdated?: string;
  /** `totes.observed_at`: when the extractor read the rows (compact timestamp, UTC). */
  readonly observedAt?: string;
  readonly sources?: readonly string[];
  readonly rowGroupSize?: number;
  readonly decimal?: DecimalStorage;
  /** Whether the footer has column statistics (min and max per row group), as by default. */
  readonly statistics?: boolean;
  /** When each input's rows were observed (`totes.observed`), as the transformer writes it. */
  readonly observed?: Partial<Record<SourceTableName, string>>;
  /** The rows the transformer quarantined out of the object. */
  readonly quarantine?: readonly QuarantinedRow[];
}

function unscaled(text: string): bigint {
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(`${whole}${fraction.padEnd(2, '0').slice(0, 2)}`);
  return text.startsWith('-') ? -value : value;
}

function element(column: LoadColumn, decimal: DecimalStorage): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  const name = column.name;
  switch (column.kind) {
    case 'integer':
      return { name, type: 'INT32', repetition_type };
    case 'decimal':
      return {
        name,
        type: decimal,
        ...(decimal === 'FIXED_LEN_BYTE_ARRAY' ? { type_length: 5 } : {}),
        converted_type: 'DECIMAL',
        precision: decimal === 'INT32' ? 9 : 10,
        scale: 2,
        logical_type: { type: 'DECIMAL', precision: decimal === 'INT32' ? 9 : 10, scale: 2 },
        repetition_type,
      };
    case 'date':
      return { name, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' }, repetition_type };
    case 'time':
      return {
        name,
        type: 'INT32',
        converted_type: 'TIME_MILLIS',
        logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MILLIS' },
        repetition_type,
      };
    case 'string':
      return {
        name,
        type: 'BYTE_ARRAY',
        converted_type: 'UTF8',
        logical_type: { type: 'STRING' },
        repetition_type,
      };
    case 'boolean':
      return { name, type: 'BOOLEAN', repetition_type };
  }
}

/** Converts one value from the pipeline's JSON form to what the Parquet writer stores. */
function physical(column: LoadColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (column.kind) {
    case 'decimal':
      // The writer stores a bigint as the unscaled value in whichever physical type is chosen.
      return unscaled(String(value));
    case 'date':
      return Math.round(Date.parse(`${value}T00:00:00Z`) / 86_400_000);
    case 'time': {
      const [hours = 0, minutes = 0, seconds = 0] = String(value).split(':').map(Number);
      return Math.round(((hours * 60 + minutes) * 60 + seconds) * 1000);
    }
    default:
      return value;
  }
}

/** The Parquet schema of a table's processed objects, as the transformer writes it. */
export function processedSchema(table: TargetTableName, decimal: DecimalStorage = 'INT64'): SchemaElement[] {
  const columns = tableLayout(table).columns;
  return [{ name: 'root', num_children: columns.length }, ...columns.map((c) => element(c, decimal))];
}

/** The column data of rows, converted to their physical Parquet values. */
export function processedColumns<T extends TargetTableName>(
  table: T,
  rows: readonly ProcessedRow<T>[],
): ColumnSource[] {
  return tableLayout(table).columns.map((column) => ({
    name: column.name,
    data: rows.map((row) => physical(column, (row as Record<string, unknown>)[column.name])),
  }));
}

/** The footer's key-value metadata of a processed object. */
export function processedKeyValues(
  rows: number,
  options: ProcessedObjectOptions,
): { key: string; value: string }[] {
  return [
    { key: 'totes.sources', value: JSON.stringify(options.sources ?? []) },
    ...(options.maxLastUpdated === undefined
      ? []
      : [{ key: 'totes.max_last_updated', value: options.maxLastUpdated }]),
    ...(options.observedAt === undefined ? [] : [{ key: 'totes.observed_at', value: options.observedAt }]),
    { key: 'totes.schema_version', value: '1' },
    { key: 'totes.rows', value: String(rows) },
    ...Object.entries(
      processedMetadata({
        sources: [],
        rows,
        observed: options.observed,
        quarantined: options.quarantine?.length,
        quarantine: options.quarantine,
      }),
    )
      .filter(([key]) => ['totes.observed', 'totes.quarantined', 'totes.quarantine'].includes(key))
      .map(([key, value]) => ({ key, value })),
  ];
}

/**
 * A processed object (Parquet bytes) holding `rows`, in the layout the transformer writes:
 * the table's columns in warehouse order without the record id, INT32 integers, DECIMAL(10,2),
 * DATE, TIME(MILLIS), STRING, BOOLEAN, OPTIONAL where nullable, and the `totes.*` metadata.
 */
export function processedObject<T extends TargetTableName>(
  table: T,
  rows: readonly ProcessedRow<T>[],
  options: ProcessedObjectOptions = {},
): Uint8Array {
  const decimal = options.decimal ?? 'INT64';
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: processedColumns(table, rows),
      schema: processedSchema(table, decimal),
      kvMetadata: processedKeyValues(rows.length, options),
      statistics: options.statistics ?? true,
      ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
    }),
  );
}
