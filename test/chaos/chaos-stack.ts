import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { warehouseTableNames } from '@totes/pipeline';
import pg from 'pg';
import { duplicateVersions, warehouseExpectations } from '../e2e/warehouse-expectations';
import { query, rowSet } from '../e2e/warehouse-queries';

const bin = fileURLToPath(new URL('../../packages/cli/bin/totes.mjs', import.meta.url));

/** How a `totes` process ended. */
export interface Ended {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A `totes` process started in a process group of its own, as a terminal starts a job. */
export interface TotesProcess {
  readonly child: ChildProcess;
  readonly ended: Promise<Ended>;
  /** `kill -9` of the whole process tree: the process group. */
  killTree(): void;
}

const started = new Set<TotesProcess>();

/** Kills every `totes` process the suite started that is still running (after a failed test). */
export function killAllStarted(): void {
  for (const totes of started) totes.killTree();
  started.clear();
}

/** Starts `totes <args>` in its own process group, so a crash point can kill all of it. */
export function startTotes(args: readonly string[], env: NodeJS.ProcessEnv): TotesProcess {
  const child = spawn(process.execPath, [bin, ...args], {
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (data) => {
    stdout += data;
  });
  child.stderr?.on('data', (data) => {
    stderr += data;
  });
  const ended = new Promise<Ended>((resolve) => {
    child.on('exit', (code, signal) => {
      started.delete(totes);
      resolve({ code, signal, stdout, stderr });
    });
  });
  const totes: TotesProcess = {
    child,
    ended,
    killTree() {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    },
  };
  started.add(totes);
  return totes;
}

/** Runs `totes <args>` to its end. */
export function runTotesProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Ended> {
  return startTotes(args, env).ended;
}

/** Polls `check` every 20 ms until it holds; false if `seconds` pass first. */
export async function when(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

/**
 * Where the warehouse differs from what the spec's rules make of the source, computed by SQL
 * over the source tables: the tables whose rows differ, and facts with identical versions.
 */
export async function differences(totesysUrl: string, warehouseUrl: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of warehouseTableNames) {
    const expected = warehouseExpectations[table];
    const [want, have] = await Promise.all([
      rowSet(totesysUrl, expected.source),
      rowSet(warehouseUrl, expected.warehouse),
    ]);
    if (JSON.stringify(want) !== JSON.stringify(have)) {
      found.push(`${table}: ${want.length} expected, ${have.length} in the warehouse`);
    }
  }
  for (const [fact, sql] of Object.entries(duplicateVersions)) {
    const n = (await query<{ n: number }>(warehouseUrl, sql))[0]?.n ?? 0;
    if (n > 0) found.push(`${fact}: ${n} identical versions`);
  }
  return found;
}

/** Whether a session of `applicationPrefix` on `url` is inside a transaction right now. */
export async function inTransaction(url: string, applicationPrefix: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE $1
          AND xact_start IS NOT NULL AND pid <> pg_backend_pid()`,
      [`${applicationPrefix}%`],
    );
    return rows.length > 0;
  } finally {
    await client.end();
  }
}
