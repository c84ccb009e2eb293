import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sqlIdentifier } from '../src/statements/sql-identifier';

/** Streams a file in COPY text format into `table (columns)` with plain `COPY … FROM STDIN`. */
export async function copyFile(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  path: string,
): Promise<void> {
  const copy = client.query(
    copyFrom(`COPY ${sqlIdentifier(table)} (${columns.map(sqlIdentifier).join(', ')}) FROM STDIN`),
  );
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), copy);
}
