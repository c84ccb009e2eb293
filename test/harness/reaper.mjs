// Watches a test run from outside: when the runner process is gone (finished, interrupted or
// killed), stops the run's PostgreSQL if it still runs and removes the run's directory.
// Usage: node reaper.mjs <runner pid> <run directory>
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const [runnerPid, runDir] = [Number(process.argv[2]), process.argv[3]];

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function postmasterPid() {
  const file = join(runDir, 'pg', 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

const timer = setInterval(() => {
  if (alive(runnerPid)) return;
  const postmaster = postmasterPid();
  if (postmaster && alive(postmaster)) {
    process.kill(postmaster, 'SIGQUIT');
    return;
  }
  clearInterval(timer);
  rmSync(runDir, { recursive: true, force: true });
}, 500);
