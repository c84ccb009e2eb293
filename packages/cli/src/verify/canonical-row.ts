import type { TargetTableName } from '@totes/pipeline';
import type { ColumnSpec } from '@totes/schema';
import { outputColumns } from '@totes/transformer';
import type { TextRow } from './text-cursor';

/** A row reduced to one string, equal for equal rows whichever side it came from. */
export type CanonicalRow = string;

const nullMark = '\u0000';
const separator = '\u0001';

/** `HH:MM:SS[.f]` or `… HH:MM:SS[.f]` with exactly three fraction digits, as the pipeline keeps them. */
export function threeFractionDigits(value: string): string {
  const dot = value.lastIndexOf('.');
  if (dot === -1 || dot < value.lastIndexOf(':')) return `${value}.000`;
  return (value.length - dot - 1 < 3 ? value.padEnd(dot + 4, '0') : value).slice(0, dot + 4);
}

/** The canonical row of an output row the transformer's mapping returned. */
export function canonicalOf(
  columns: readonly ColumnSpec[],
  row: Readonly<Record<string, unknown>>,
): CanonicalRow {
  let line = '';
  for (let index = 0; index < columns.length; index += 1) {
    const value = row[(columns[index] as ColumnSpec).name];
    if (index > 0) line += separator;
    line += value === null || value === undefined ? nullMark : String(value);
  }
  return line;
}

/** Turns warehouse rows as PostgreSQL prints them into canonical rows, column by column. */
export function warehouseCanonical(table: TargetTableName): (row: TextRow) => CanonicalRow {
  const converters = outputColumns(table).map((column): ((text: string) => string) => {
    if (column.pgType === 'boolean') return (text) => (text === 't' ? 'true' : 'false');
    if (column.pgType.startsWith('time')) return threeFractionDigits;
    return (text) => text;
  });
  return (row) => {
    let line = '';
    for (let index = 0; index < converters.length; index += 1) {
      const value = row[index];
      if (index > 0) line += separator;
      line +=
        value === null || value === undefined
          ? nullMark
          : (converters[index] as (t: string) => string)(value);
    }
    return line;
  };
}

/** Turns source rows as PostgreSQL prints them into the JSON form the extractor writes. */
export function sourceRowParser(columns: readonly ColumnSpec[]): (row: TextRow) => Record<string, unknown> {
  const converters = columns.map((column): ((text: string) => unknown) => {
    if (column.pgType === 'integer') return Number;
    if (column.pgType === 'boolean') return (text) => text === 't';
    if (column.pgType.startsWith('timestamp(3)')) return threeFractionDigits;
    return (text) => text;
  });
  const names = columns.map((column) => column.name);
  return (row) => {
    const parsed: Record<string, unknown> = {};
    for (let index = 0; index < names.length; index += 1) {
      const value = row[index];
      parsed[names[index] as string] =
        value === null || value === undefined ? null : (converters[index] as (t: string) => unknown)(value);
    }
    return parsed;
  };
}
