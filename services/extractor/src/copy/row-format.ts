import { PipelineError, type SourceTableName, sourceTables } from '@totes/pipeline';
import { columnSpecs, totesysTables } from '@totes/schema';
import { z } from 'zod';

/**
 * How one column's value, as COPY's text format prints it, becomes what the row schemas expect.
 *
 * The row schemas are those of `@totes/schema`:
 *
 * - `number`: an integer, written as it is.
 * - `boolean`: `t`/`f` become `true`/`false`.
 * - `decimal`: a numeric, kept exact as a string (`"12.50"`).
 * - `timestamp3`: `timestamp(3)` as a string with exactly three fraction digits (COPY drops
 *   trailing zeros: `14:20:52.1` becomes `14:20:52.100`, `14:20:52` becomes `14:20:52.000`).
 * - `date`: a `date`, as a string.
 * - `text`: text, varchar and enum labels, as JSON strings.
 */
export type ValueRendering = 'number' | 'boolean' | 'decimal' | 'timestamp3' | 'date' | 'text';

/** One extracted column. */
export interface ColumnFormat {
  readonly name: string;
  readonly rendering: ValueRendering;
}

/** The columns of a source table in extraction order, and where its position columns are. */
export interface RowFormat {
  readonly table: SourceTableName;
  readonly columns: readonly ColumnFormat[];
  /** Index of the primary key (an integer). */
  readonly keyIndex: number;
  /** Index of `last_updated`, the watermark column. */
  readonly lastUpdatedIndex: number;
}

/** The column every totesys table stamps with the time of its last change. */
export const watermarkColumn = 'last_updated';

/** Thrown when a table declares a column the extractor has no rendering for; a retry cannot help. */
export class UnsupportedColumnError extends PipelineError {
  override readonly name = 'UnsupportedColumnError';

  constructor(message: string) {
    super(message, { retryable: false });
  }
}

function renderingOf(table: string, name: string, pgType: string, schema: z.ZodType): ValueRendering {
  if (pgType === 'integer') return 'number';
  if (pgType === 'boolean') return 'boolean';
  if (pgType === 'numeric' || pgType.startsWith('numeric(')) return 'decimal';
  if (pgType === 'timestamp(3) without time zone') return 'timestamp3';
  if (pgType === 'date') return 'date';
  if (pgType === 'text' || pgType.startsWith('character varying')) return 'text';
  const inner = schema instanceof z.ZodNullable ? schema.unwrap() : schema;
  if (inner instanceof z.ZodEnum) return 'text';
  throw new UnsupportedColumnError(
    `${table}.${name} has type ${pgType}, which the extractor cannot render as JSON: add a rendering to row-format.ts.`,
  );
}

const formats = new Map<SourceTableName, RowFormat>();

/**
 * The row format of a source table, derived from its row schema and the topology.
 *
 * Columns and types come from the schema, the primary key from the topology, so the extracted JSON
 * always has the schema's representation.
 */
export function rowFormat(table: SourceTableName): RowFormat {
  const known = formats.get(table);
  if (known) return known;
  const schema = totesysTables[table];
  const columns = columnSpecs(schema).map((spec) => ({
    name: spec.name,
    rendering: renderingOf(
      table,
      spec.name,
      spec.pgType,
      schema.shape[spec.name as keyof typeof schema.shape],
    ),
  }));
  const keyIndex = columns.findIndex((column) => column.name === sourceTables[table].key);
  const lastUpdatedIndex = columns.findIndex((column) => column.name === watermarkColumn);
  if (keyIndex < 0 || columns[keyIndex]?.rendering !== 'number') {
    throw new UnsupportedColumnError(`${table} has no integer primary key column ${sourceTables[table].key}`);
  }
  if (lastUpdatedIndex < 0 || columns[lastUpdatedIndex]?.rendering !== 'timestamp3') {
    throw new UnsupportedColumnError(`${table} has no timestamp(3) column ${watermarkColumn}`);
  }
  const format = Object.freeze({ table, columns: Object.freeze(columns), keyIndex, lastUpdatedIndex });
  formats.set(table, format);
  return format;
}
