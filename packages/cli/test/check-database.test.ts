import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDatabase, checkDatabases } from '../src/stack/check-databases';
import { DatabaseCheckError } from '../src/stack/database-check-error';

/** The error a check fails with. */
async function failureOf(check: Promise<void>): Promise<DatabaseCheckError> {
  const error = await check.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof DatabaseCheckError))
    throw new Error(`expected a DatabaseCheckError, got ${String(error)}`);
  return error;
}

function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

describe('checking a database before the pipeline uses it', () => {
  const empty = useTestDatabase('cli_check_empty');
  const totesys = useTestDatabase('cli_check_tables');
  beforeAll(async () => {
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    await client.query('CREATE TABLE sales_order (sales_order_id integer)');
    await client.end();
  });

  it('passes a database that answers, and a totesys that holds its tables', async () => {
    await expect(checkDatabase('warehouse', empty.url, false, false)).resolves.toBeUndefined();
    await expect(
      checkDatabases({
        totesysUrl: totesys.url,
        warehouseUrl: empty.url,
        embeddedTotesys: false,
        totesysTables: true,
      }),
    ).resolves.toBeUndefined();
  });

  it('tells an empty embedded totesys to be seeded', async () => {
    const error = await failureOf(checkDatabase('totesys', empty.url, true, true));
    expect(error.database).toBe('totesys');
    expect(error.exitCode).toBe(1);
    expect(error.message).toBe(
      'the embedded totesys is empty: fill it first with `totes seed` (or point TOTESYS_URL at a totesys)',
    );
  });

  it('tells a totesys given by URL without its tables to check the URL', async () => {
    const error = await failureOf(checkDatabase('totesys', empty.url, true, false));
    expect(error.message).toMatch(
      /^the totesys database at postgresql:\/\/postgres:\*\*\*@.* has no totesys tables: check TOTESYS_URL \(or --totesys-url\): database name, schema$/,
    );
  });

  it('names the database it cannot connect to and what to check, never the password, even URL-encoded', async () => {
    const password = 'p@ss/w0rd:secret';
    const url = withPassword(empty.url, encodeURIComponent(password));
    const error = await failureOf(
      checkDatabases({
        totesysUrl: totesys.url,
        warehouseUrl: url,
        embeddedTotesys: false,
        totesysTables: true,
      }),
    );
    expect(error.database).toBe('warehouse');
    expect(error.message).toMatch(
      /^cannot connect to the warehouse database at postgresql:\/\/postgres:\*\*\*@.*; check WAREHOUSE_URL \(or --warehouse-url\): host, port, database name, user and password$/,
    );
    expect(error.message).not.toContain(password);
    expect(error.message).not.toContain(encodeURIComponent(password));
  });

  it('names a database that does not exist', async () => {
    const url = new URL(empty.url);
    url.pathname = '/no_such_database_for_the_check';
    const error = await failureOf(checkDatabase('totesys', url.toString(), false, false));
    expect(error.message).toMatch(
      /^cannot connect to the totesys database at .*no_such_database_for_the_check/,
    );
  });
});
