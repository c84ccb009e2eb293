import { join } from 'node:path';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from '@totes/local';

/** The databases of the local stack, in one embedded cluster. */
export const localDatabases = { totesys: 'totesys', warehouse: 'warehouse' } as const;

/**
 * Runs `work` with the local stack's PostgreSQL (started from the data directory, created on
 * first use, kept afterwards), then stops it, also on failure.
 */
export async function withLocalPostgres<T>(
  dataDir: string,
  work: (server: EmbeddedPostgresServer) => Promise<T>,
): Promise<T> {
  const server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres'), persistent: true });
  try {
    for (const name of Object.values(localDatabases)) await server.ensureDatabase(name);
    return await work(server);
  } finally {
    await server.stop();
  }
}
