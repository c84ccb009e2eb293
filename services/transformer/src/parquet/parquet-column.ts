import type { ColumnSpec } from '@totes/schema';
import type { SchemaElement } from 'hyparquet-writer';
import { daysSinceEpoch } from './days-since-epoch';
import { millisOfDay } from './millis-of-day';
import { unscaledDecimal } from './unscaled-decimal';

/** A column's values for one row group, in the physical form the Parquet writer takes. */
export type ColumnValues = Int32Array | BigInt64Array | unknown[];

/**
 * How one warehouse column is written to Parquet.
 *
 * Its schema element and the conversion of a value from the pipeline's JSON form (`"12.50"`,
 * `"2022-11-03"`, `"14:20:52.186"`) to the physical value, exact for every type.
 */
export interface ParquetColumn {
  readonly name: string;
  readonly nullable: boolean;
  readonly element: SchemaElement;
  /** A buffer for `rows` values: typed for required numbers (compact, fast), an array otherwise. */
  allocate(rows: number): ColumnValues;
  /** The physical value; throws `RangeError` for a value the column cannot hold. */
  encode(value: unknown): unknown;
}

/** numeric(10,2): the warehouse's money columns, all written as DECIMAL(10,2). */
const decimal = { precision: 10, scale: 2 } as const;
const decimalLimit = 10n ** BigInt(decimal.precision);

interface Physical {
  readonly element: Omit<SchemaElement, 'name' | 'repetition_type'>;
  readonly typed?: 'int32' | 'int64';
  encode(value: unknown): unknown;
}

const int32: Physical = {
  element: { type: 'INT32' },
  typed: 'int32',
  encode(value) {
    if (!Number.isInteger(value) || (value as number) > 2147483647 || (value as number) < -2147483648)
      throw new RangeError(`not a 32-bit integer: ${JSON.stringify(value)}`);
    return value;
  },
};

const decimal10x2: Physical = {
  element: {
    type: 'INT64',
    converted_type: 'DECIMAL',
    precision: decimal.precision,
    scale: decimal.scale,
    logical_type: { type: 'DECIMAL', ...decimal },
  },
  typed: 'int64',
  encode(value) {
    const unscaled = unscaledDecimal(String(value), decimal.scale);
    if (unscaled >= decimalLimit || unscaled <= -decimalLimit)
      throw new RangeError(`${value} does not fit numeric(${decimal.precision},${decimal.scale})`);
    return unscaled;
  },
};

const date: Physical = {
  element: { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } },
  typed: 'int32',
  encode(value) {
    const days = typeof value === 'string' ? daysSinceEpoch(value) : Number.NaN;
    if (!Number.isInteger(days)) throw new RangeError(`not a date: ${JSON.stringify(value)}`);
    return days;
  },
};

const time: Physical = {
  element: {
    type: 'INT32',
    converted_type: 'TIME_MILLIS',
    logical_type: { type: 'TIME', isAdjustedToUTC: false, unit: 'MILLIS' },
  },
  typed: 'int32',
  encode: (value) => millisOfDay(String(value)),
};

const string: Physical = {
  element: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } },
  encode(value) {
    if (typeof value !== 'string') throw new RangeError(`not a string: ${JSON.stringify(value)}`);
    return value;
  },
};

const boolean: Physical = {
  element: { type: 'BOOLEAN' },
  encode(value) {
    if (typeof value !== 'boolean') throw new RangeError(`not a boolean: ${JSON.stringify(value)}`);
    return value;
  },
};

/** Parquet types by the PostgreSQL type of the warehouse column (see `columnSpecs`). */
const byPgType: Readonly<Record<string, Physical>> = {
  integer: int32,
  'numeric(10,2)': decimal10x2,
  numeric: decimal10x2,
  date,
  'time without time zone': time,
  'character varying': string,
  text: string,
  boolean,
};

/**
 * The Parquet column for a warehouse column.
 *
 * Integer → INT32, numeric → DECIMAL(10,2) (INT64), date → DATE, time → TIME(MILLIS), varchar/text
 * → STRING, boolean → BOOLEAN; nullable columns OPTIONAL, the others REQUIRED. Throws `RangeError`
 * for a type it has no mapping for.
 */
export function parquetColumn(spec: ColumnSpec): ParquetColumn {
  const physical = byPgType[spec.pgType];
  if (!physical)
    throw new RangeError(`column ${spec.name}: no Parquet type for PostgreSQL type ${spec.pgType}`);
  const { nullable, name } = spec;
  const typed = nullable ? undefined : physical.typed;
  return {
    name,
    nullable,
    element: { name, ...physical.element, repetition_type: nullable ? 'OPTIONAL' : 'REQUIRED' },
    allocate(rows) {
      if (typed === 'int32') return new Int32Array(rows);
      if (typed === 'int64') return new BigInt64Array(rows);
      return new Array<unknown>(rows);
    },
    encode(value) {
      if (value === null || value === undefined) {
        if (nullable) return null;
        throw new RangeError('NULL in a NOT NULL column');
      }
      return physical.encode(value);
    },
  };
}
