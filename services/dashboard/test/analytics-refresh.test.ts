import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { migrateWarehouse } from '@totes/loader';
import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsRefreshFromConfig, DashboardSecretError } from '../src/index';

const fixture = new URL('../../../packages/schema/test/fixtures/analytics-warehouse.sql', import.meta.url);
const database = useTestDatabase('analytics_refresh');
const empty = useTestDatabase('analytics_refresh_empty');
// Roles belong to the whole cluster, which test files share: this file's reader is its own.
const role = `dashboard_${randomBytes(4).toString('hex')}`;
const password = `p'w"${randomBytes(12).toString('hex')}`;
const secretArn = 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:test/totes/dashboard-AbCdEf';
let owner: pg.Client;
const logged: string[] = [];

/** The dashboard's secret as the runtime turns it into a connection string. */
function readerUrl(username: string, secret: string): string {
  const url = new URL(database.url);
  url.username = encodeURIComponent(username);
  url.password = encodeURIComponent(secret);
  return url.toString();
}

function refresher(username = role, secret = password, warehouseUrl = database.url) {
  return analyticsRefreshFromConfig(
    {
      WAREHOUSE_URL: warehouseUrl,
      DASHBOARD_SECRET_ARN: secretArn,
      WAREHOUSE_STATEMENT_TIMEOUT_MS: 60_000,
    },
    {
      role,
      readSecret: async (arn) => {
        if (arn !== secretArn) throw new Error(`unexpected secret ${arn}`);
        return readerUrl(username, secret);
      },
      logger: {
        info: (...args: unknown[]) => logged.push(JSON.stringify(args)),
        warn: (...args: unknown[]) => logged.push(JSON.stringify(args)),
        error: (...args: unknown[]) => logged.push(JSON.stringify(args)),
        debug: (...args: unknown[]) => logged.push(JSON.stringify(args)),
      },
    },
  );
}

beforeAll(async () => {
  owner = new pg.Client({ connectionString: database.url });
  await owner.connect();
  await migrateWarehouse(owner);
  await owner.query("SET fixture.sales_orders = '200'");
  await owner.query(await readFile(fixture, 'utf8'));
});

afterAll(async () => {
  await owner.query(`DROP OWNED BY ${pg.escapeIdentifier(role)}`).catch(() => undefined);
  await owner.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  await owner.end();
});

describe('the scheduled analytics refresh', () => {
  it('creates the views and the read-only role with the secret’s password: it reads analytics and cannot write', async () => {
    await refresher()();

    const reader = new pg.Client({ connectionString: readerUrl(role, password) });
    await reader.connect();
    try {
      const { rows } = await reader.query('SELECT count(*)::int AS n FROM analytics.sales_order');
      expect(rows[0]?.n).toBe(200);
      await expect(reader.query("INSERT INTO public.dim_currency VALUES (9, 'XXX', 'Test')")).rejects.toThrow(
        /read-only transaction/,
      );
      await expect(
        reader.query("BEGIN READ WRITE; INSERT INTO public.dim_currency VALUES (9, 'XXX', 'Test'); COMMIT"),
      ).rejects.toThrow(/permission denied/);
      await reader.query('ROLLBACK');
      await expect(
        reader.query('BEGIN READ WRITE; CREATE TABLE analytics.scratch (n int); COMMIT'),
      ).rejects.toThrow(/permission denied/);
      await reader.query('ROLLBACK');
      await expect(reader.query('BEGIN READ WRITE; SELECT analytics.refresh(); COMMIT')).rejects.toThrow(
        /permission denied|must be owner/,
      );
    } finally {
      await reader.end();
    }
  });

  it('brings the views up to date with the facts loaded since, and logs how long it took but no password', async () => {
    await owner.query(
      `INSERT INTO public.fact_sales_order (sales_order_id, created_date, created_time, last_updated_date,
              last_updated_time, sales_staff_id, counterparty_id, units_sold, unit_price, currency_id, design_id,
              agreed_payment_date, agreed_delivery_date, agreed_delivery_location_id)
       SELECT max(sales_order_id) + 1, '2024-11-04', '09:15:00', '2024-11-04', '09:15:00', 1, 1, 5, 2.50, 1, 1,
              '2024-11-10', '2024-11-08', 1
         FROM public.fact_sales_order`,
    );
    logged.length = 0;

    const outcome = await refresher()();

    const { rows } = await owner.query('SELECT count(*)::int AS n FROM analytics.sales_order');
    expect(rows[0]?.n).toBe(201);
    expect(outcome.refreshMs).toBeGreaterThan(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('analytics views refreshed');
    expect(logged.join('\n')).not.toContain(password);
    expect(logged.join('\n')).not.toContain(encodeURIComponent(password));
  });

  it('gives a new password in the secret to the role at its next run', async () => {
    const rotated = randomBytes(12).toString('hex');

    await refresher(role, rotated)();

    const stale = new pg.Client({ connectionString: readerUrl(role, password) });
    await expect(stale.connect()).rejects.toThrow(/password authentication failed/);
    const fresh = new pg.Client({ connectionString: readerUrl(role, rotated) });
    await fresh.connect();
    await fresh.end();
  });

  it('refuses a secret naming another role, so the owner’s password is never changed by it', async () => {
    const run = refresher('postgres', 'not-the-owners-password')();

    await expect(run).rejects.toThrow(DashboardSecretError);
    await expect(run).rejects.toThrow(/for the role "postgres", not the dashboard's read-only role/);
    await expect(run).rejects.not.toThrow(/not-the-owners-password/);
    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    await check.end();
  });
  it('waits, without failing, on a warehouse whose star schema the loader has not created yet', async () => {
    logged.length = 0;

    const outcome = await refresher(role, password, empty.url)();

    expect(outcome).toMatchObject({ waiting: 'no star schema yet' });
    expect(logged.join('\n')).toContain('no star schema yet');
    const check = new pg.Client({ connectionString: empty.url });
    await check.connect();
    try {
      const { rows } = await check.query("SELECT to_regnamespace('analytics') IS NULL AS absent");
      expect(rows[0]?.absent).toBe(true);
    } finally {
      await check.end();
    }
  });
});
