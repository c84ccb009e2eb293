import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { isProcessAlive } from './is-process-alive';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await sleep(100);
  }
  return condition();
}

/**
 * Stops a PostgreSQL left running on a data directory by a process that died without stopping it.
 *
 * A `kill -9` or a crash leaves it: the server named in its `postmaster.pid`, if alive, is asked
 * for a fast shutdown (SIGINT), then an immediate one (SIGQUIT), then killed. PostgreSQL refuses to
 * start a second server on the directory, so without this every later start would fail. Call it
 * only while holding the directory, when no live process of ours can own that server. Returns the
 * stopped server's pid, or `undefined` when none was running.
 */
export async function stopOrphanedPostgres(postgresDataDir: string): Promise<number | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(join(postgresDataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  if (!isProcessAlive(pid)) {
    // Dead, or a zombie nobody has reaped yet (which PostgreSQL's own check takes for a live
    // server, refusing to start): the lock file is stale, and the directory is ours.
    await rm(join(postgresDataDir, 'postmaster.pid'), { force: true });
    return undefined;
  }
  // The pid may have been reused since: only a postmaster of this very directory is stopped.
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!cmdline.includes('postgres') || (lines[1] && !cmdline.includes(lines[1]))) return undefined;
  for (const [signal, waitMs] of [
    ['SIGINT', 8000],
    ['SIGQUIT', 3000],
    ['SIGKILL', 3000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return pid;
    }
    if (await until(() => !isProcessAlive(pid), waitMs)) return pid;
  }
  throw new EmbeddedPostgresError(
    postgresDataDir,
    `the orphaned PostgreSQL (pid ${pid}) on ${postgresDataDir} did not stop: stop it by hand (kill -9 ${pid})`,
  );
}
