import net from 'node:net';
import pg from 'pg';
import type { CachedConnectionString } from './database-secret';
import { readBufferSocket } from './read-buffer-socket';

/** Options of {@link connectPostgres}. */
export interface PostgresOptions {
  /** Every statement is cancelled after this long. */
  readonly statementTimeoutMs: number;
  /** Shown in `pg_stat_activity`, so a DBA sees which function holds a connection. */
  readonly applicationName: string;
  /** Gives up connecting after this long. */
  readonly connectTimeoutMs?: number;
  /**
   * Reads into one reused buffer ({@link readBufferSocket}) when the connection has no TLS, so a
   * COPY can be read in place. pg wraps TLS connections in sockets of its own, which keep the
   * default reads.
   */
  readonly readBuffer?: boolean;
}

// OIDs of types whose JavaScript parsing would change the value: numeric → float, timestamp →
// Date in the process's zone, date → Date. The pipeline keeps their exact text.
const keptAsText = [1700, 1114, 1184, 1082, 1083] as const;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if ((keptAsText as readonly number[]).includes(oid)) return (value: string) => value;
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept a union format.
    return pg.types.getTypeParser(oid, format as any);
  },
};

/**
 * Opens one connection with a statement timeout, numerics, timestamps and dates as exact text.
 *
 * The connection string comes from configuration and is never logged.
 */
export async function connectPostgres(
  connectionString: string,
  options: PostgresOptions,
): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString,
    application_name: options.applicationName,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types,
    ...(options.readBuffer
      ? { stream: (config?: { ssl?: unknown }) => (config?.ssl ? new net.Socket() : readBufferSocket()) }
      : {}),
  });
  // A connection the server drops (a restart, a terminated backend) emits 'error'; without a
  // listener that would end the process. The next query fails instead, and the message is retried.
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Whether PostgreSQL refused the login: invalid_password or invalid_authorization_specification. */
export function isRefusedLogin(error: unknown): boolean {
  const code: unknown = error instanceof Error ? Reflect.get(error, 'code') : undefined;
  return code === '28P01' || code === '28000';
}

/**
 * Connects with a cached connection string.
 *
 * When the database refuses the login, the secret may have been rotated since it was read: it is
 * read again, and if it changed, the connection is tried once more with it. Otherwise the refusal
 * stands (and the next call reads the secret again).
 */
export async function connectWithCachedSecret(
  connectionString: CachedConnectionString,
  options: PostgresOptions,
): Promise<pg.Client> {
  const first = await connectionString.get();
  try {
    return await connectPostgres(first, options);
  } catch (error) {
    if (!isRefusedLogin(error)) throw error;
    connectionString.forget();
    const again = await connectionString.get();
    if (again === first) {
      connectionString.forget();
      throw error;
    }
    return await connectPostgres(again, options);
  }
}
