import { join } from 'node:path';
import { type EmbeddedPostgresServer, startEmbeddedPostgres } from '@totes/local';
import { resolveLocalPorts } from './local-ports';
import { claimDataDir } from './stack/claim-data-dir';

/** The databases of the local stack, in one embedded cluster. */
export const localDatabases = { totesys: 'totesys', warehouse: 'warehouse' } as const;

/**
 * Runs `work` with the local stack's PostgreSQL, then stops it, also on failure.
 *
 * The server is started from the data directory, created on first use and kept afterwards. The data
 * directory is held meanwhile, for `command` (what a crash left is recovered and told to `say`).
 */
export async function withLocalPostgres<T>(
  dataDir: string,
  command: string,
  say: (line: string) => void,
  work: (server: EmbeddedPostgresServer) => Promise<T>,
): Promise<T> {
  const lock = await claimDataDir(dataDir, command, say);
  try {
    const { postgres: port } = await resolveLocalPorts(say, process.env, ['postgres']);
    const server = await startEmbeddedPostgres({
      dataDir: join(dataDir, 'postgres'),
      persistent: true,
      ...(port ? { port } : {}),
    });
    try {
      for (const name of Object.values(localDatabases)) await server.ensureDatabase(name);
      return await work(server);
    } finally {
      await server.stop();
    }
  } finally {
    await lock.release();
  }
}
