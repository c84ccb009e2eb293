import { type CachedConnectionString, isRefusedLogin } from '@totes/runtime/database';
import type { AnalyticsDatabase, WarehouseDatabase } from '@totes/schema';
import { Kysely, PostgresDialect, type PostgresPool } from 'kysely';
import pg from 'pg';

/** The loader's bookkeeping the pipeline-health page reads (`etl` schema; see services/loader/sql/etl.sql). */
export interface EtlHealthTables {
  'etl.freshness': { table_name: string; max_last_updated: string; loaded_at: string };
  'etl.quarantine': { table_name: string };
  'etl.load_ledger': { table_name: string; rows_inserted: number; rows_updated: number; loaded_at: string };
}

/** Everything the dashboard reads, with the schema package's types: a renamed column fails the type check. */
export type DashboardDatabase = AnalyticsDatabase & WarehouseDatabase & EtlHealthTables;

// numeric, int8, date, timestamp, timestamptz stay text: exact amounts, no time-zone shifts.
const keptAsText = new Set([1700, 20, 1082, 1114, 1184]);

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (keptAsText.has(oid)) return (value: string) => value;
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format.
    return pg.types.getTypeParser(oid, format as any);
  },
};

/** Options of {@link createDashboardDatabase}. */
export interface DashboardDatabaseOptions {
  /** Connections in the pool: a page runs its panels' queries at once. */
  readonly maxConnections?: number;
  /** Every statement is cancelled after this long, so a slow query fails its panel, not the page. */
  readonly statementTimeoutMs?: number;
}

/**
 * A kysely over a pool of read-only sessions on the warehouse.
 *
 * Sessions are `default_transaction_read_only`, on top of the read-only role the dashboard is
 * given; numerics and dates come as exact text. Given a {@link CachedConnectionString} (a secret),
 * every new connection takes the password it holds, and a login the database refuses makes it
 * read the secret again and connect once more: a rotated password is picked up at the next
 * connection, without a restart or a failed page.
 */
export function createDashboardDatabase(
  connection: string | CachedConnectionString,
  options: DashboardDatabaseOptions = {},
): Kysely<DashboardDatabase> {
  const settings = {
    max: options.maxConnections ?? 6,
    application_name: 'totes-dashboard',
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: 5000,
    options: '-c default_transaction_read_only=on',
    types,
  };
  if (typeof connection === 'string') {
    const pool = new pg.Pool({ connectionString: connection, ...settings });
    // A connection the server drops must not end the process: the next query fails instead.
    pool.on('error', () => undefined);
    return new Kysely<DashboardDatabase>({ dialect: new PostgresDialect({ pool }) });
  }
  const secret = connection;
  const passwordOf = async () => decodeURIComponent(new URL(await secret.get()).password);
  return new Kysely<DashboardDatabase>({
    dialect: new PostgresDialect({
      // Built at the first query: a secret that cannot be read fails that query, and the next
      // one tries again.
      pool: async (): Promise<PostgresPool> => {
        // Not a connectionString: pg lets its password win over the function's.
        const url = new URL(await secret.get());
        const pool = new pg.Pool({
          host: url.hostname,
          port: Number(url.port || 5432),
          user: decodeURIComponent(url.username),
          database: decodeURIComponent(url.pathname.slice(1)),
          password: passwordOf,
          ...settings,
        });
        pool.on('error', () => undefined);
        const connect = async () => {
          try {
            return await pool.connect();
          } catch (error) {
            if (!isRefusedLogin(error)) throw error;
            // Rotated since it was read: read it again, and connect once more with what it holds.
            secret.forget();
            return pool.connect();
          }
        };
        // kysely also reads the pool's `Client` and `options` (to cancel a query).
        const { Client } = pool as unknown as { Client: unknown };
        return { connect, end: () => pool.end(), Client, options: pool.options } as PostgresPool;
      },
    }),
  });
}
