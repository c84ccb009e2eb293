import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** A directory the `postgres` system user cannot pass through, on the way to a data directory. */
export interface BlockedDirectory {
  readonly path: string;
  /** Its permission bits, e.g. `700`. */
  readonly mode: string;
}

/**
 * The first directory above `dir` that the `postgres` system user cannot enter.
 *
 * That user runs the server when root starts it; such a directory lacks the execute bit for others,
 * unless that user owns it. PostgreSQL started there fails in initdb with
 * `could not access directory … Permission denied`, so this is found before. `undefined` when every
 * ancestor can be passed.
 */
export async function blockedForPostgresUser(
  dir: string,
  postgresUid?: number,
): Promise<BlockedDirectory | undefined> {
  const ancestors: string[] = [];
  for (let path = dirname(resolve(dir)); ; path = dirname(path)) {
    ancestors.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of ancestors) {
    const info = await stat(path).catch(() => undefined);
    if (!info) return undefined; // Not created yet: created later with mode 755.
    if (postgresUid !== undefined && info.uid === postgresUid) continue;
    if ((info.mode & 0o001) === 0) return { path, mode: (info.mode & 0o777).toString(8) };
  }
  return undefined;
}

/** What to say when root's data directory lies below a directory the `postgres` user cannot enter. */
export function blockedDirectoryMessage(dataDir: string, blocked: BlockedDirectory): string {
  return (
    `as root, PostgreSQL runs as the system user \`postgres\`, which cannot enter ${blocked.path} ` +
    `(mode ${blocked.mode}) to reach ${dataDir}: put the data directory where it can ` +
    '(--data-dir or TOTES_DATA_DIR, e.g. /var/lib/totes), run totes as a user other than root, ' +
    `or let it pass through with \`chmod o+x ${blocked.path}\` (it can then open paths it knows below, not list them)`
  );
}
