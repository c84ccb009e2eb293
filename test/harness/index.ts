import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';

/** A database of the run's cluster that belongs to one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

async function asAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresAdminUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates an empty database with a unique name on the run's cluster. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const name = uniqueName(prefix);
  await asAdmin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

/** Drops a database made by {@link createTestDatabase}, closing its sessions first. */
export async function dropTestDatabase(database: TestDatabase): Promise<void> {
  await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database.name)} WITH (FORCE)`));
}

/**
 * Gives the calling test file its own empty database, created before its tests and dropped after.
 * Read `.url` inside tests or hooks, not at module load.
 */
export function useTestDatabase(prefix = 'test'): { readonly url: string; readonly name: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    if (database) await dropTestDatabase(database);
  });
  return {
    get url() {
      if (!database) throw new Error('useTestDatabase: the database exists only inside tests and hooks');
      return database.url;
    },
    get name() {
      if (!database) throw new Error('useTestDatabase: the database exists only inside tests and hooks');
      return database.name;
    },
  };
}

/** The run's AWS emulator, and a prefix that keeps this test file's resource names apart. */
export interface TestAws {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Unique per call: use it as the stage/prefix of every name the test creates. */
  readonly prefix: string;
}

/** Connection details for the run's AWS emulator plus a unique resource-name prefix. */
export function testAws(): TestAws {
  return {
    endpoint: inject('awsEndpoint'),
    region: inject('awsRegion'),
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    prefix: `t${randomBytes(4).toString('hex')}`,
  };
}
