import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyTextEncoder } from './copy-text-encoder';

/** Options of {@link copyRows}. */
export interface CopyRowsOptions {
  /** Receives the number of rows sent so far, once per batch and at the end. */
  readonly onRows?: (rows: number) => void;
  /** Characters gathered before a write to the COPY stream. */
  readonly batchChars?: number;
}

/**
 * Streams rows into a table with `COPY … FROM STDIN` (text format) and returns how many were sent.
 *
 * Rows are read chunk by chunk as the stream asks for more, so memory stays flat; lines are written
 * in batches of about a megabyte, because one write per row makes the load several times slower.
 * `table` and `columns` must come from a fixed list, never from input.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  chunks: Iterable<readonly Readonly<Record<string, unknown>>[]>,
  options: CopyRowsOptions = {},
): Promise<number> {
  const encode = copyTextEncoder(columns);
  const batchChars = options.batchChars ?? 1 << 20;
  let sent = 0;
  function* batches(): Generator<string> {
    let batch = '';
    for (const chunk of chunks) {
      for (const row of chunk) batch += encode(row);
      sent += chunk.length;
      if (batch.length >= batchChars) {
        yield batch;
        batch = '';
        options.onRows?.(sent);
      }
    }
    if (batch.length > 0) yield batch;
    options.onRows?.(sent);
  }
  const copy = client.query(
    copyFrom(
      `COPY ${pg.escapeIdentifier(table)} (${columns.map(pg.escapeIdentifier).join(', ')}) FROM STDIN`,
    ),
  );
  await pipeline(Readable.from(batches(), { objectMode: false }), copy);
  return sent;
}
