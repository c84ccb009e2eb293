import type pg from 'pg';

/** A row as PostgreSQL prints it: every value as text, or null. */
export type TextRow = readonly (string | null)[];

// Every value stays PostgreSQL's text: half of pg's read time is building Dates (ARCHITECTURE §6),
// and verify compares text anyway.
const asText = { getTypeParser: () => (value: string) => value };

/**
 * Streams the rows of one query a page at a time through a server-side cursor (one query plan,
 * one sort, bounded memory), fetching the next page while the caller works on this one. The
 * query runs in a read-only repeatable-read transaction on `client`, which it has to itself.
 */
export async function* cursorPages(
  client: pg.ClientBase,
  sql: string,
  pageRows = 10_000,
): AsyncGenerator<readonly TextRow[]> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  let pending: Promise<pg.QueryArrayResult> | undefined;
  try {
    await client.query(`DECLARE verify_rows NO SCROLL CURSOR FOR ${sql}`);
    const fetch = () =>
      client.query({ text: `FETCH ${pageRows} FROM verify_rows`, rowMode: 'array', types: asText });
    pending = fetch();
    for (;;) {
      const page = await pending;
      if (page.rows.length === 0) break;
      pending = fetch();
      yield page.rows as TextRow[];
    }
    pending = undefined;
  } finally {
    // A page still on its way when the caller stops is dropped with the transaction.
    await pending?.catch(() => undefined);
    await client.query('ROLLBACK').catch(() => undefined);
  }
}

/** All the rows of a small query, as text (the inputs of a dimension, a few thousand rows). */
export async function textRows(client: pg.ClientBase, sql: string): Promise<readonly TextRow[]> {
  const result = await client.query({ text: sql, rowMode: 'array', types: asText });
  return result.rows as TextRow[];
}
