import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/** A row as COPY's text format prints it, split into fields: text, or null for `\N`. */
export type TextRow = readonly (string | null)[];

const escapes: Readonly<Record<string, string>> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One field of COPY's text format as its value (backslash escapes undone). */
export function unescapeCopy(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, char: string) => escapes[char] ?? char);
}

/** A value as COPY's text format prints it (the inverse of {@link unescapeCopy}). */
export function escapeCopy(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(
        /[\\\t\n\r]/g,
        (char) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[char] ?? char,
      )
    : value;
}

/**
 * Streams the lines of `COPY (<query>) TO STDOUT` (text format) in batches.
 *
 * One batch per chunk the server sends (about 64 KB): PostgreSQL's fastest way out (ARCHITECTURE §6), one query plan,
 * and memory bounded by a chunk. Each line is handed to `parse` as it is, without its newline.
 * A chunk is decoded up to its last newline (a byte no UTF-8 sequence holds), so that each batch
 * is one flat string split once; the bytes after it wait for the next chunk.
 */
export async function* copyLines<T>(
  client: pg.ClientBase,
  query: string,
  parse: (line: string) => T,
): AsyncGenerator<T[]> {
  let rest: Buffer | undefined;
  const stream = client.query(copyTo(`COPY (${query}) TO STDOUT`));
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const bytes = rest ? Buffer.concat([rest, chunk]) : chunk;
    const end = bytes.lastIndexOf(10);
    if (end < 0) {
      rest = bytes === chunk ? Buffer.from(chunk) : bytes;
      continue;
    }
    // Copied: the stream may hand out views of buffers it reuses.
    rest = end + 1 < bytes.length ? Buffer.from(bytes.subarray(end + 1)) : undefined;
    yield bytes.toString('utf8', 0, end).split('\n').map(parse);
  }
  if (rest) yield rest.toString('utf8').split('\n').map(parse);
}

/** Splits a COPY text line into its fields (null for `\N`, escapes undone). */
export function copyFields(line: string): TextRow {
  return line.split('\t').map((field) => (field === '\\N' ? null : unescapeCopy(field)));
}

/** Every row of a (small) query, as fields. */
export async function copyRows(client: pg.ClientBase, query: string): Promise<TextRow[]> {
  const rows: TextRow[] = [];
  for await (const batch of copyLines(client, query, copyFields)) rows.push(...batch);
  return rows;
}
