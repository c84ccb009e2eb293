import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProcessAlive, stopOrphanedPostgres } from '../src/index';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('stopping a PostgreSQL left running on a data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-orphan-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds nothing to stop when the directory has no postmaster.pid', async () => {
    expect(await stopOrphanedPostgres(join(dir, 'none'))).toBeUndefined();
  });

  it('removes the lock file of a server that is gone, so PostgreSQL starts again', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    const pidFile = join(dir, 'postmaster.pid');
    await writeFile(pidFile, `${child.pid}\n${dir}\n`);
    expect(await stopOrphanedPostgres(dir)).toBeUndefined();
    expect(await exists(pidFile)).toBe(false);
  });

  it('leaves alone a live process that is not a PostgreSQL of this directory (a pid reused since)', async () => {
    const other = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await once(other, 'spawn');
    try {
      const pidFile = join(dir, 'postmaster.pid');
      await writeFile(pidFile, `${other.pid}\n${dir}\n`);
      expect(await stopOrphanedPostgres(dir)).toBeUndefined();
      expect(isProcessAlive(other.pid ?? 0)).toBe(true);
      expect(await exists(pidFile)).toBe(true);
    } finally {
      other.stdin.end();
      await once(other, 'exit');
    }
  });
});
