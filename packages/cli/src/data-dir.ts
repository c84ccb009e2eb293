import { resolve } from 'node:path';

/**
 * The directory holding a local stack's state (PostgreSQL data, the emulator's buckets and queues).
 *
 * `--data-dir`, else `TOTES_DATA_DIR`, else `.totes` in the current directory.
 */
export function dataDirOf(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return resolve(flag ?? env.TOTES_DATA_DIR ?? '.totes');
}
