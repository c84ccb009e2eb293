import { randomBytes } from 'node:crypto';
import { cachedConnectionString } from '@totes/runtime/database';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  createDashboardApp,
  createDashboardDatabase,
  dashboardReaderUrl,
  prepareDashboardReader,
  startDashboardServer,
} from '../src/index';
import { useDashboard } from './use-dashboard';

const dashboard = useDashboard();

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${dashboard().server.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// Independent computations over the facts: the current version of each order by an anti-join.
const currentSales = `
  SELECT f.* FROM public.fact_sales_order f
   WHERE NOT EXISTS (SELECT 1 FROM public.fact_sales_order n WHERE n.sales_order_id = f.sales_order_id
     AND (n.last_updated_date, n.last_updated_time, n.sales_record_id) > (f.last_updated_date, f.last_updated_time, f.sales_record_id))`;

describe('the dashboard service', () => {
  it('reads the warehouse as a role that can read and cannot write', async () => {
    const reader = new pg.Client({ connectionString: dashboard().reader.url });
    await reader.connect();
    try {
      const { rows } = await reader.query('SELECT count(*)::int AS n FROM analytics.sales_order');
      expect(rows[0]?.n).toBe(400);
      await expect(reader.query("INSERT INTO public.dim_currency VALUES (9, 'XXX', 'Test')")).rejects.toThrow(
        /read-only transaction|permission denied/,
      );
      await expect(reader.query('BEGIN READ WRITE; DELETE FROM public.dim_currency; COMMIT')).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await reader.end();
    }
  });

  it('answers the data request of sales by month with the sums of the current orders', async () => {
    const { status, body } = await getJson('/api/panels/sales-by-month');
    const expected = await dashboard().rows(
      `SELECT to_char(date_trunc('month', created_date), 'YYYY-MM-DD') AS month, c.currency_code::text,
              count(*)::int AS orders, sum(units_sold)::text AS units_sold,
              sum(round(units_sold * unit_price, 2))::text AS sales_value
         FROM (${currentSales}) f JOIN public.dim_currency c USING (currency_id)
        GROUP BY 1, 2 ORDER BY 1, 2`,
    );

    expect(status).toBe(200);
    expect(body.rows).toEqual(expected);
  });

  it('follows the filter: months and one currency', async () => {
    const { body } = await getJson('/api/panels/sales-by-month?from=2023-01&to=2023-06&currency=EUR');
    const rows = body.rows as { month: string; currency_code: string }[];

    expect(body.filter).toEqual({ from: '2023-01', to: '2023-06', currency: 'EUR' });
    expect(rows.map((row) => row.month)).toEqual([
      '2023-01-01',
      '2023-02-01',
      '2023-03-01',
      '2023-04-01',
      '2023-05-01',
      '2023-06-01',
    ]);
    expect(new Set(rows.map((row) => row.currency_code))).toEqual(new Set(['EUR']));
  });

  it('ranks the top designs by units sold, as an independent count does', async () => {
    const { body } = await getJson('/api/panels/top-designs?currency=GBP');
    const expected = await dashboard().rows(
      `SELECT d.design_name::text, count(*)::int AS orders, sum(units_sold)::text AS units_sold
         FROM (${currentSales}) f JOIN public.dim_design d USING (design_id) JOIN public.dim_currency c USING (currency_id)
        WHERE c.currency_code = 'GBP'
        GROUP BY d.design_id, d.design_name ORDER BY sum(units_sold) DESC, d.design_name LIMIT 10`,
    );

    expect(body.rows).toEqual(expected);
  });

  it('counts a payment with two versions once, in its current status', async () => {
    const { body } = await getJson('/api/panels/payment-status');
    const rows = body.rows as { payments: number }[];
    const { n } = await dashboard().one<{ n: number }>(
      'SELECT count(DISTINCT payment_id)::int AS n FROM public.fact_payment',
    );
    const { versions } = await dashboard().one<{ versions: number }>(
      'SELECT count(*)::int AS versions FROM public.fact_payment',
    );

    expect(versions).toBeGreaterThan(n);
    expect(rows.reduce((sum, row) => sum + row.payments, 0)).toBe(n);
  });

  it('shows the pipeline health the warehouse knows: rows per table', async () => {
    const { body } = await getJson('/api/health');
    const tables = body.tables as {
      table: string;
      warehouseRows: number;
      quarantined: number;
      queued: null;
    }[];
    const { n } = await dashboard().one<{ n: number }>('SELECT count(*)::int AS n FROM public.fact_payment');

    expect(body.warehouseReachable).toBe(true);
    expect(tables.find((row) => row.table === 'fact_payment')).toMatchObject({
      warehouseRows: n,
      quarantined: 0,
      queued: null,
    });
  });

  it('refuses a panel it does not have, naming the ones it has', async () => {
    const { status, body } = await getJson('/api/panels/nothing');

    expect(status).toBe(404);
    expect(body.panels).toContain('top-designs');
  });

  it('still answers its health page when the warehouse cannot be reached', async () => {
    const server = await startDashboardServer({
      warehouseUrl: 'postgresql://nobody:secret@127.0.0.1:1/none',
    });
    try {
      const health = await fetch(`${server.url}/api/health`).then((response) => response.json());
      const page = await fetch(`${server.url}/health`);
      const overview = await fetch(`${server.url}/`).then((response) => response.text());

      expect(health).toMatchObject({ warehouseReachable: false });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('cannot be reached');
      expect(overview).toContain('could not be read');
      expect(overview).not.toContain('secret');
    } finally {
      await server.close();
    }
  });
  it('links every page to the sign-out when deployed behind the sign-in, and not on this machine', async () => {
    const db = createDashboardDatabase(dashboard().reader.url);
    try {
      const deployed = createDashboardApp({ db, signOutPath: '/auth/sign-out' });
      const local = createDashboardApp({ db });

      for (const path of ['/', '/sales', '/health']) {
        const page = await (await deployed.request(path)).text();
        expect(page, path).toContain('<a class="sign-out" href="/auth/sign-out">Sign out</a>');
        expect(await (await local.request(path)).text(), path).not.toContain('Sign out');
      }
      // Where its time went, for a browser's developer tools.
      expect((await deployed.request('/')).headers.get('server-timing')).toMatch(
        /db;dur=[\d.]+.*render;dur=[\d.]+/,
      );
    } finally {
      await db.destroy();
    }
  });
  it('reads its secret again when the database refuses the password: a rotated password needs no restart', async () => {
    const { reader, client } = dashboard();
    const original = decodeURIComponent(new URL(reader.url).password);
    const rotated = randomBytes(12).toString('hex');
    let current = reader.url;
    let reads = 0;
    const secret = cachedConnectionString(async () => {
      reads += 1;
      return current;
    });
    const db = createDashboardDatabase(secret, { maxConnections: 1 });
    const app = createDashboardApp({ db });
    try {
      expect((await app.request('/api/panels/top-designs')).status).toBe(200);
      // The password is rotated and the secret holds the new one; open sessions end.
      await prepareDashboardReader(client, { role: reader.role, password: rotated });
      current = dashboardReaderUrl(reader.url, { role: reader.role, password: rotated });
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1', [
        reader.role,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const after = await app.request('/api/panels/top-designs');

      expect(after.status, await after.clone().text()).toBe(200);
      expect(reads).toBe(2);
    } finally {
      await db.destroy();
      await prepareDashboardReader(client, { role: reader.role, password: original });
    }
  });
});
