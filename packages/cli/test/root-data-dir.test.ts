import { access, chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blockedForPostgresUser } from '@totes/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

describe('a data directory below a directory of mode 700', () => {
  let home: string;
  beforeAll(async () => {
    // Like /root or a home directory: private to its owner.
    home = await mkdtemp(join(tmpdir(), 'totes-home-'));
    await chmod(home, 0o700);
    await mkdir(join(home, 'project'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('is found blocked for the postgres user at the private directory', async () => {
    expect(await blockedForPostgresUser(join(home, 'project', '.totes', 'postgres'))).toEqual({
      path: home,
      mode: '700',
    });
    expect(await blockedForPostgresUser(join(tmpdir(), 'x', 'y'))).toBeUndefined();
  });

  it('as root, is refused before initdb, naming the directory and what to do; otherwise it works', async () => {
    const dataDir = join(home, 'project', '.totes');
    const run = await runTotes(['seed', '--data-dir', dataDir, '--scale', '1', '--json'], {
      TOTESYS_URL: '',
    });
    if (process.getuid?.() === 0) {
      expect(run.code).toBe(1);
      const { error } = JSON.parse(run.stdout);
      expect(error).toContain(
        `as root, PostgreSQL runs as the system user \`postgres\`, which cannot enter ${home} (mode 700)`,
      );
      expect(error).toContain('--data-dir or TOTES_DATA_DIR');
      expect(error).toContain(`chmod o+x ${home}`);
      expect(`${run.stdout}${run.stderr}`).not.toContain('initdb');
      // Nothing was created for PostgreSQL.
      await expect(access(join(dataDir, 'postgres', 'PG_VERSION'))).rejects.toThrow();
    } else {
      expect(run.code, run.stderr).toBe(0);
    }
  });
});
