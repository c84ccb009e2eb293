import { readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Removes what an interrupted test run left behind: its PostgreSQL server (whose parent, the test
 * runner, is gone) and its temporary directory.
 */
export async function sweepStaleRuns(): Promise<void> {
  const base = tmpdir();
  const entries = await readdir(base).catch(() => []);
  for (const entry of entries.filter((name) => name.startsWith('totes-test-'))) {
    const dir = join(base, entry);
    const pidFile = await readFile(join(dir, 'pg', 'postmaster.pid'), 'utf8').catch(() => undefined);
    const postmaster = pidFile ? Number(pidFile.split('\n')[0]) : Number.NaN;
    if (Number.isInteger(postmaster) && isAlive(postmaster)) {
      const parent = await readFile(`/proc/${postmaster}/stat`, 'utf8').catch(() => '');
      const parentPid = Number(parent.split(') ')[1]?.split(' ')[1]);
      // A server whose test runner still lives belongs to a concurrent run: leave it alone.
      if (parentPid > 1 && isAlive(parentPid)) continue;
      process.kill(postmaster, 'SIGQUIT');
    }
    await rm(dir, { recursive: true, force: true });
  }
}
