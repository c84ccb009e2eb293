import { readFileSync } from 'node:fs';

/**
 * Whether a process runs with this pid.
 *
 * A zombie (dead, not yet reaped) does not count, nor does this process itself: a pid recorded by
 * an earlier process and reused for this one is stale.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // /proc/<pid>/stat reads "pid (name) state …", and the name may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const nameEnd = stat.lastIndexOf(')');
    return stat.slice(nameEnd + 2, nameEnd + 3) !== 'Z';
  } catch {
    return true;
  }
}
