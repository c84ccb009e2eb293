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
    const run = await runTotes(['seed', '--url', database.url, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatch(/already holds totesys rows.*Nothing was changed/);
    expect(run.stderr).toContain('totes: ');
  });

  it('rejects a scale that is not a whole number', async () => {
    const run = await runTotes(['seed', '--url', database.url, '--scale', '0.5']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('expected a whole number of at least 1');
  });
});
