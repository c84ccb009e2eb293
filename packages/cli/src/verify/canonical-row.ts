import type { ColumnSpec } from '@totes/schema';
import { escapeCopy, unescapeCopy } from './copy-lines';

/**
 * A row reduced to one string, equal for equal rows whichever side it came from.
 *
 * Its values as COPY's text format prints them with DateStyle ISO (PostgreSQL's own output, so the
 * warehouse's lines are compared as they arrive), tab-separated, `\N` for null.
 */
export type CanonicalRow = string;

/** Times as PostgreSQL prints them: `14:20:52.1` for `14:20:52.100`, `14:20:52` for `.000`. */
function trimFraction(time: string): string {
  if (time.charCodeAt(time.length - 1) !== 48 || !time.includes('.')) return time;
  let end = time.length;
  while (time.charCodeAt(end - 1) === 48) end -= 1;
  if (time.charCodeAt(end - 1) === 46) end -= 1;
  return time.slice(0, end);
}

/** How one output value is printed, by its column's type. */
function printerOf(column: ColumnSpec): (value: unknown) => string {
  if (column.pgType.startsWith('time')) return (value) => trimFraction(String(value));
  if (column.pgType === 'boolean') return (value) => (value ? 't' : 'f');
  return (value) => (typeof value === 'string' ? escapeCopy(value) : String(value));
}

/**
 * The canonical row of the transformer's output rows for a table of these columns.
 *
 * As the warehouse prints them.
 */
export function canonicalRow(
  columns: readonly ColumnSpec[],
): (row: Readonly<Record<string, unknown>>) => CanonicalRow {
  const names = columns.map((column) => column.name);
  const printers = columns.map(printerOf);
  return (row) => {
    let line = '';
    for (let index = 0; index < names.length; index += 1) {
      const value = row[names[index] as string];
      if (index > 0) line += '\t';
      line +=
        value === null || value === undefined ? '\\N' : (printers[index] as (v: unknown) => string)(value);
    }
    return line;
  };
}

/** A timestamp(3) as the extractor writes it, from PostgreSQL's output: always three fraction digits. */
function padFraction(timestamp: string): string {
  const dot = timestamp.indexOf('.', 17);
  if (dot < 0) return `${timestamp}.000`;
  const digits = timestamp.length - dot - 1;
  return digits >= 3 ? timestamp : timestamp + '00'.slice(digits - 1);
}

/**
 * Turns a source row's COPY text line into the JSON form the extractor writes, in one pass.
 *
 * Integers become numbers, booleans booleans, and timestamp(3) has three fraction digits; escapes
 * are undone only in lines that hold any.
 */
export function sourceLineParser(columns: readonly ColumnSpec[]): (line: string) => Record<string, unknown> {
  const converters = columns.map((column): ((text: string) => unknown) => {
    if (column.pgType === 'integer') return Number;
    if (column.pgType === 'boolean') return (text) => text === 't';
    if (column.pgType.startsWith('timestamp(3)')) return padFraction;
    return (text) => text;
  });
  const names = columns.map((column) => column.name);
  return (line) => {
    const fields = line.split('\t');
    const escaped = line.includes('\\');
    const parsed: Record<string, unknown> = {};
    for (let index = 0; index < names.length; index += 1) {
      const field = fields[index];
      parsed[names[index] as string] =
        field === undefined || field === '\\N'
          ? null
          : (converters[index] as (t: string) => unknown)(escaped ? unescapeCopy(field) : field);
    }
    return parsed;
  };
}
