import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { migrateWarehouse } from '@totes/loader';
import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import {
  type DashboardServer,
  dashboardReaderUrl,
  prepareDashboardReader,
  startDashboardServer,
} from '../src/index';

/** The synthetic warehouse the analytics views are tested on (several versions of some rows). */
const fixture = new URL('../../../packages/schema/test/fixtures/analytics-warehouse.sql', import.meta.url);

/** A dashboard served on a test file's own warehouse, and an owner's connection to check it with. */
export interface TestDashboard {
  readonly server: DashboardServer;
  /** The warehouse's owner: the independent computations run as it. */
  readonly client: pg.Client;
  /** The dashboard's read-only role and how it connects. */
  readonly reader: { readonly role: string; readonly url: string };
  /** Rows of an independent query, as the owner. */
  rows<T extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** The one row of an independent query, as the owner. */
  one<T extends pg.QueryResultRow>(text: string, values?: readonly unknown[]): Promise<T>;
}

/**
 * Gives the test file a warehouse (the star schema, `etl` and the analytics views) holding
 * `salesOrders` synthetic orders with their purchases and payments, a read-only role of its own,
 * and the dashboard served on it.
 */
export function useDashboard(salesOrders = 400): () => TestDashboard {
  const database = useTestDatabase('dashboard');
  let dashboard: TestDashboard | undefined;
  beforeAll(async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await migrateWarehouse(client);
    await client.query('SELECT set_config($1, $2, false)', ['fixture.sales_orders', String(salesOrders)]);
    await client.query(await readFile(fixture, 'utf8'));
    const reader = {
      role: `dashboard_${randomBytes(4).toString('hex')}`,
      password: randomBytes(12).toString('hex'),
    };
    await prepareDashboardReader(client, reader);
    await client.query('SELECT analytics.refresh()');
    const url = dashboardReaderUrl(database.url, reader);
    const server = await startDashboardServer({ warehouseUrl: url });
    dashboard = {
      server,
      client,
      reader: { role: reader.role, url },
      rows: async (text, values) => (await client.query(text, values as unknown[])).rows,
      one: async (text, values) => {
        const { rows } = await client.query(text, values as unknown[]);
        if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${text}`);
        return rows[0];
      },
    };
  });
  afterAll(async () => {
    await dashboard?.server.close();
    if (dashboard) {
      await dashboard.client.query(`DROP OWNED BY ${pg.escapeIdentifier(dashboard.reader.role)}`);
      await dashboard.client.query(`DROP ROLE ${pg.escapeIdentifier(dashboard.reader.role)}`);
    }
    await dashboard?.client.end();
  });
  return () => {
    if (!dashboard) throw new Error('the dashboard exists only inside tests and hooks');
    return dashboard;
  };
}
