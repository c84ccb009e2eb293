import { readDdl } from '@totes/schema';
import type pg from 'pg';

/** The role the dashboard reads the warehouse as: it may read, and nothing else. */
export const dashboardRole = 'totes_dashboard';

/** The `etl` tables the pipeline-health page reads (the loader's bookkeeping). */
const etlTablesRead = ['etl.freshness', 'etl.quarantine', 'etl.load_ledger'] as const;

/** Options of {@link prepareDashboardReader}. */
export interface DashboardReaderOptions {
  readonly password: string;
  /** {@link dashboardRole} unless told otherwise (tests sharing a cluster each use their own). */
  readonly role?: string;
}

/**
 * Prepares a warehouse for the dashboard, as its owner.
 *
 * It (re)creates the `analytics` views, and creates (or updates) the login role (by default
 * {@link dashboardRole}) with `password`, allowed to connect and to SELECT from `analytics`,
 * `public` and the `etl` tables the health page reads, and read-only by default besides. Safe to
 * run on every start. The password travels as a query parameter (the statement is built inside
 * PostgreSQL with `format(%L)`), never spliced into SQL text here.
 */
export async function prepareDashboardReader(
  client: pg.ClientBase,
  { password, role = dashboardRole }: DashboardReaderOptions,
): Promise<void> {
  const analytics = await readDdl('analytics');
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended('totes.dashboard-reader', 0))");
    await client.query(analytics);
    await client.query(
      'SELECT set_config($1, $2, true), set_config($3, $4, true), set_config($5, $6, true)',
      [
        'totes.dashboard_role',
        role,
        'totes.dashboard_password',
        password,
        'totes.dashboard_etl_tables',
        etlTablesRead.join(','),
      ],
    );
    await client.query(`DO $$
DECLARE
  role_name text := current_setting('totes.dashboard_role');
  secret text := current_setting('totes.dashboard_password');
  etl_table text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD %L', role_name, secret);
  ELSE
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', role_name, secret);
  END IF;
  EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', role_name);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), role_name);
  EXECUTE format('GRANT USAGE ON SCHEMA analytics, public TO %I', role_name);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA analytics, public TO %I', role_name);
  IF to_regnamespace('etl') IS NOT NULL THEN
    EXECUTE format('GRANT USAGE ON SCHEMA etl TO %I', role_name);
    FOREACH etl_table IN ARRAY string_to_array(current_setting('totes.dashboard_etl_tables'), ',') LOOP
      IF to_regclass(etl_table) IS NOT NULL THEN
        EXECUTE format('GRANT SELECT ON %s TO %I', to_regclass(etl_table), role_name);
      END IF;
    END LOOP;
  END IF;
END
$$`);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** `url` with the dashboard's role and `password` as its user, for the dashboard to connect with. */
export function dashboardReaderUrl(
  url: string,
  { password, role = dashboardRole }: DashboardReaderOptions,
): string {
  const reader = new URL(url);
  reader.username = role;
  reader.password = password;
  return reader.toString();
}
