import type { ColumnSpec } from '@totes/schema';
import { escapeCopy, type TextRow } from './copy-lines';

/**
 * A row reduced to one string, equal for equal rows whichever side it came from: its values as
 * COPY's text format prints them, tab-separated, `\N` for null.
 */
export type CanonicalRow = string;

/** The canonical row of an output row the transformer's mapping returned. */
export function canonicalOf(
  columns: readonly ColumnSpec[],
  row: Readonly<Record<string, unknown>>,
): CanonicalRow {
  let line = '';
  for (let index = 0; index < columns.length; index += 1) {
    const value = row[(columns[index] as ColumnSpec).name];
    if (index > 0) line += '\t';
    line +=
      value === null || value === undefined
        ? '\\N'
        : typeof value === 'string'
          ? escapeCopy(value)
          : String(value);
  }
  return line;
}

/** Turns source rows as COPY prints them into the JSON form the extractor writes. */
export function sourceRowParser(columns: readonly ColumnSpec[]): (row: TextRow) => Record<string, unknown> {
  const converters = columns.map((column): ((text: string) => unknown) => {
    if (column.pgType === 'integer') return Number;
    if (column.pgType === 'boolean') return (text) => text === 't';
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
