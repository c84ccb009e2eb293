import { connectionStringFromSecretArn } from '@totes/runtime';
import { Hono } from 'hono';
import { createDashboardApp } from './dashboard-app';
import type { DashboardConfig } from './dashboard-config';
import { createDashboardDatabase } from './dashboard-database';

/**
 * The dashboard application of a function. Its warehouse connection is resolved at the first
 * request, not at cold start (the secret is read once; a failed read is tried again at the next
 * request), and its pool serves every invocation of a warm function.
 */
export function dashboardFromConfig(config: DashboardConfig): Hono {
  let inner: Promise<Hono> | undefined;
  const build = async () => {
    const url =
      config.WAREHOUSE_URL ?? (await connectionStringFromSecretArn(config.WAREHOUSE_SECRET_ARN ?? ''));
    const db = createDashboardDatabase(url, {
      maxConnections: 4,
      statementTimeoutMs: config.WAREHOUSE_STATEMENT_TIMEOUT_MS,
    });
    // Deployed, it sits behind the sign-in (services/dashboard/src/sign-in-app.ts).
    return createDashboardApp({ db, signOutPath: '/auth/sign-out' });
  };
  const app = new Hono();
  app.all('*', async (c) => {
    inner ??= build().catch((error: unknown) => {
      inner = undefined;
      throw error;
    });
    return (await inner).fetch(c.req.raw);
  });
  return app;
}
