import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { migrateWarehouse } from '@totes/loader';
import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

const bin = fileURLToPath(new URL('../bin/totes.mjs', import.meta.url));
const fixture = new URL('../../schema/test/fixtures/analytics-warehouse.sql', import.meta.url);
const database = useTestDatabase('dashboard_cli');

beforeAll(async () => {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await migrateWarehouse(client);
    await client.query("SET fixture.sales_orders = '300'");
    await client.query(await readFile(fixture, 'utf8'));
  } finally {
    await client.end();
  }
});

describe('totes dashboard', () => {
  it('serves a warehouse made by hand, with the numbers psql gives, until Ctrl-C', async () => {
    const child = spawn(process.execPath, [bin, 'dashboard', '--port', '0', '--json'], {
      env: { ...process.env, WAREHOUSE_URL: database.url, TOTESYS_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve) => lines.once('line', resolve));
    const { url } = JSON.parse(first) as { url: string };

    const body = (await fetch(`${url}/api/panels/sales-by-month?currency=USD`).then((r) => r.json())) as {
      rows: { orders: number; sales_value: string }[];
    };
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const psql = await client
      .query(
        `SELECT count(*)::int AS orders, sum(order_value)::text AS value FROM analytics.sales_order WHERE currency_code = 'USD'`,
      )
      .finally(() => client.end());
    child.kill('SIGINT');

    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(body.rows.reduce((sum, row) => sum + row.orders, 0)).toBe(psql.rows[0]?.orders);
    expect(body.rows.reduce((sum, row) => sum + Number(row.sales_value) * 100, 0)).toBeCloseTo(
      Number(psql.rows[0]?.value) * 100,
      0,
    );
    expect(await exited).toBe(0);
  });

  it('has examples in its help', async () => {
    const run = await runTotes(['dashboard', '--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Examples:\n {2}\$ totes dashboard/);
  });

  it('refuses a port that is not one, as a usage error', async () => {
    const run = await runTotes(['dashboard', '--port', 'eighty']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected a port from 0 to 65535');
  });
});
