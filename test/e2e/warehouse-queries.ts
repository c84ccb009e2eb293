import pg from 'pg';

/** Runs one query on a database and closes the connection. */
export async function query<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  sql: string,
  values: readonly unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values as unknown[])).rows;
  } finally {
    await client.end();
  }
}

/** The rows of a query as sorted JSON arrays of their values, for comparing whole tables. */
export async function rowSet(url: string, sql: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query({ text: sql, rowMode: 'array' });
    return result.rows.map((row) => JSON.stringify(row)).sort();
  } finally {
    await client.end();
  }
}

/** Polls `check` until it returns true, failing with `what` after `seconds`. */
export async function eventually(what: string, check: () => Promise<boolean>, seconds = 60): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > seconds * 1000) throw new Error(`${what}: not seen within ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return Date.now() - started;
}
