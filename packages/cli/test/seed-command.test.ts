import { useTestDatabase } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

describe('totes seed', () => {
  const database = useTestDatabase('cli_seed');

  it('fills an empty database and reports rows per table as JSON', async () => {
    const run = await runTotes(['seed', '--scale', '1', '--seed', '7', '--json'], {
      TOTESYS_URL: database.url,
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ scale: 1, seed: 7, tables: { staff: 20, currency: 3, department: 8 } });
    expect(result.tables.sales_order).toBeGreaterThan(10_000);
    expect(result.rows).toBe(Object.values<number>(result.tables).reduce((a, b) => a + b, 0));
  });

  it('refuses a database that already holds rows, with a clear error and a non-zero exit', async () => {
    const run = await runTotes(['seed', '--totesys-url', database.url, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatch(/already holds totesys rows.*Nothing was changed/);
    expect(run.stderr).toContain('totes: ');
  });

  it('still reads the old --url', async () => {
    const run = await runTotes(['seed', '--url', database.url, '--json']);
    expect(JSON.parse(run.stdout).error).toMatch(/already holds totesys rows/);
  });

  it.each([
    ['a word', 'not-a-url'],
    ['a keyword/value string', 'host=localhost dbname=totesys password=hunter2'],
    ['another scheme', 'mysql://root:hunter2@localhost/totesys'],
  ])(
    'refuses %s as --totesys-url or TOTESYS_URL, saying it is not a PostgreSQL connection string',
    async (_, url) => {
      for (const run of [
        await runTotes(['seed', '--totesys-url', url, '--json']),
        await runTotes(['seed', '--json'], { TOTESYS_URL: url }),
      ]) {
        expect(run.code).toBe(2);
        const { error, usage } = JSON.parse(run.stdout);
        expect(usage).toBe(true);
        expect(error).toMatch(
          /^(--totesys-url|TOTESYS_URL) is not a PostgreSQL connection string: expected postgresql:\/\//,
        );
        expect(`${run.stdout}${run.stderr}`).not.toMatch(/ENOTFOUND|hunter2/);
      }
    },
  );

  it('names the totesys database it cannot connect to, without its password', async () => {
    const url = new URL(database.url);
    url.password = 'not-the-password-5c1d';
    const run = await runTotes(['seed', '--totesys-url', url.toString(), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatch(
      /^cannot connect to the totesys database at postgresql:\/\/postgres:\*\*\*@.*check TOTESYS_URL \(or --totesys-url\)/,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain('not-the-password-5c1d');
  });

  it('rejects a scale that is not a whole number', async () => {
    const run = await runTotes(['seed', '--totesys-url', database.url, '--scale', '0.5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a whole number of at least 1');
  });
});
