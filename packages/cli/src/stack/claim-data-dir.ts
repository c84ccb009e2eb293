import { join } from 'node:path';
import { stopOrphanedPostgres } from '@totes/local';
import { readRunningFile, removeRunningStack } from './running-file';
import { lockStack, type StackLock } from './stack-lock';

/**
 * Takes a data directory for one command and clears what a crashed command left in it.
 *
 * See {@link lockStack}. What a crash leaves: its lock, its `running.json`, its PostgreSQL still
 * running. Holding the lock proves no live command owns any of them. What was recovered is told in
 * one line through `say`, so the next command after a crash just works, and says why.
 */
export async function claimDataDir(
  dataDir: string,
  command: string,
  say: (line: string) => void,
): Promise<StackLock> {
  const lock = await lockStack(dataDir, command);
  try {
    const recovered: string[] = [];
    if (lock.tookOverFrom) {
      const { command: was, pid, since } = lock.tookOverFrom;
      recovered.push(`took over the lock of \`totes ${was}\` (pid ${pid}, since ${since}), which is gone`);
    }
    const stale = await readRunningFile(dataDir);
    if (stale) {
      await removeRunningStack(dataDir);
      if (stale.pid !== lock.tookOverFrom?.pid)
        recovered.push(`removed the running.json of pid ${stale.pid}`);
    }
    const orphan = await stopOrphanedPostgres(join(dataDir, 'postgres'));
    if (orphan !== undefined) recovered.push(`stopped an orphaned PostgreSQL (pid ${orphan})`);
    if (recovered.length > 0) say(`recovered from an earlier crash: ${recovered.join('; ')}`);
    return lock;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
