import type pg from 'pg';
import { type DashboardReaderOptions, prepareDashboardReader } from './dashboard-reader';

/** What one {@link refreshAnalytics} did, in milliseconds. */
export interface AnalyticsRefreshOutcome {
  /** Nothing was done: the warehouse has no star schema yet (the loader creates it at its first load). */
  readonly waiting?: 'no star schema yet';
  /** Creating what was absent (views, role) and setting the role's password. */
  readonly prepareMs: number;
  /** `analytics.refresh()`: every view brought up to date. */
  readonly refreshMs: number;
}

/**
 * Prepares the read-only role and refreshes the analytics views, as the warehouse's owner.
 *
 * What a deployment runs on a schedule: makes sure the `analytics`
 * views exist and the read-only role logs in with `password` ({@link prepareDashboardReader}:
 * the password travels as a query parameter, never in SQL text), then brings every view up to
 * date with `analytics.refresh()`, without blocking the dashboard's readers. Safe to run at any
 * time, and twice at once (the preparation takes an advisory lock; two refreshes of a view wait
 * for each other). On a warehouse without its star schema yet (a new deployment before its
 * first load) it does nothing and says so, rather than fail.
 */
export async function refreshAnalytics(
  client: pg.ClientBase,
  reader: DashboardReaderOptions,
): Promise<AnalyticsRefreshOutcome> {
  const { rows } = await client.query<{ ready: boolean }>(
    "SELECT to_regclass('public.fact_sales_order') IS NOT NULL AS ready",
  );
  if (!rows[0]?.ready) return { waiting: 'no star schema yet', prepareMs: 0, refreshMs: 0 };
  const started = performance.now();
  await prepareDashboardReader(client, reader);
  const prepared = performance.now();
  await client.query('SELECT analytics.refresh()');
  const refreshed = performance.now();
  return {
    prepareMs: Math.round(prepared - started),
    refreshMs: Math.round(refreshed - prepared),
  };
}
