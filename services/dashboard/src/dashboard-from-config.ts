import { databaseConnectionString } from '@totes/runtime/database';
import type { Hono } from 'hono';
import { createDashboardApp } from './dashboard-app';
import type { DashboardConfig } from './dashboard-config';
import { createDashboardDatabase } from './dashboard-database';

/**
 * The dashboard application of a function.
 *
 * Its warehouse connection is resolved at the first query, not at cold start (the secret is read
 * then, again after a failed read, and again when the database refuses its password), and its
 * pool serves every invocation of a warm function. Deployed, it sits behind the sign-in
 * (`createSignInApp`), whose sign-out every page links to.
 */
export function dashboardFromConfig(config: DashboardConfig): Hono {
  const connection = databaseConnectionString({
    url: config.WAREHOUSE_URL,
    secretArn: config.WAREHOUSE_SECRET_ARN,
  });
  const db = createDashboardDatabase(connection, {
    maxConnections: 4,
    statementTimeoutMs: config.WAREHOUSE_STATEMENT_TIMEOUT_MS,
  });
  return createDashboardApp({ db, signOutPath: '/auth/sign-out' });
}
