import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { warehouseTableNames } from '@totes/pipeline';
import { useTestDatabase } from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const wrapper = ['packages/toolchain/run.mjs', 'node', 'packages/cli/bin/totes.mjs'];
const bin = join(root, 'packages/cli/bin/totes.mjs');

/** The pids of every process whose command line names the directory (totes, its PostgreSQL, the wrapper). */
function processesOf(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) pids.push(pid);
    } catch {
      // Gone while listed.
    }
  }
  return pids;
}

/** The processes of the directory still running after `ms` (sooner if none is left). */
async function leftAfter(dir: string, ms: number): Promise<number[]> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && processesOf(dir).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return processesOf(dir);
}

/** A `totes up` started with its stdout on a pipe, as `npm start | tee log` runs it. */
interface Started {
  readonly child: ChildProcess;
  output(): string;
}

/** Starts `command args` in a process group of its own and waits for the per-table status lines. */
async function startUp(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  const deadline = Date.now() + 60_000;
  while (!warehouseTableNames.every((table) => text.includes(`\n${table} `))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`totes up printed no status lines:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => text };
}

describe('stopping `totes up` however its run ends', () => {
  const totesys = useTestDatabase('cli_lifecycle');
  let dataDir: string;
  const env = () => ({ TOTESYS_URL: totesys.url });
  const npmStart = () => startUp(process.execPath, [...wrapper, 'up', '--data-dir', dataDir], env());
  /** `npm start 2>&1 | tee log`: the same signal that stops it ends the reader of its output. */
  const npmStartIntoTee = () =>
    startUp(
      'sh',
      [
        '-c',
        `"${process.execPath}" ${wrapper.join(' ')} up --data-dir "${dataDir}" 2>&1 | tee "${dataDir}/up.log"`,
      ],
      env(),
    );

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-lifecycle-'));
    await seedTotesys(totesys.url, { scale: 0.02, seed: 3 });
  });
  afterAll(async () => {
    for (const pid of processesOf(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stops everything on Ctrl-C to its process group, `| tee` included, and meanwhile refuses a sync naming itself', async () => {
    const up = await npmStartIntoTee();
    const running = JSON.parse(await readFile(join(dataDir, 'running.json'), 'utf8'));

    const second = await runTotes(['sync', '--data-dir', dataDir], env());
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(
      new RegExp(`in use by \`totes up\` \\(pid ${running.pid}, since \\d{4}-\\d\\d-\\d\\dT[^)]+\\)`),
    );

    process.kill(-(up.child.pid ?? 0), 'SIGINT');
    expect(await leftAfter(dataDir, 10_000)).toEqual([]);
    // Its log says when the stack started and stopped, and not every ask that found no rows.
    const entries = (await readFile(join(dataDir, 'logs', 'pipeline.log'), 'utf8'))
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { level: string; message?: string; rows?: number });
    const lifecycle = entries.filter((entry) => entry.message?.startsWith('local stack'));
    expect(lifecycle.map((entry) => [entry.level, entry.message])).toEqual(
      expect.arrayContaining([
        ['INFO', 'local stack started'],
        ['INFO', 'local stack stopping'],
        ['INFO', 'local stack stopped'],
      ]),
    );
    expect(entries.filter((entry) => entry.message === 'extracted' && entry.rows === 0)).toEqual([]);
  });

  it('stops everything on a hang-up to its process group, `| tee` included', async () => {
    const up = await npmStartIntoTee();
    process.kill(-(up.child.pid ?? 0), 'SIGHUP');
    expect(await leftAfter(dataDir, 10_000)).toEqual([]);
  });

  it('stops everything when the shell npm runs it with dies of a TERM without passing it on', async () => {
    const script = `"${process.execPath}" ${wrapper.join(' ')} up --data-dir "${dataDir}"; exit $?`;
    const up = await startUp('sh', ['-c', script], env());
    process.kill(up.child.pid ?? 0, 'SIGTERM');
    expect(await leftAfter(dataDir, 10_000)).toEqual([]);
  });

  it('stops everything when the toolchain wrapper is killed with kill -9', async () => {
    const up = await npmStart();
    process.kill(up.child.pid ?? 0, 'SIGKILL');
    expect(await leftAfter(dataDir, 10_000)).toEqual([]);
  });

  it('recovers, on the next command, from a `totes up` killed with kill -9: its lock and its PostgreSQL', async () => {
    const up = await startUp(process.execPath, [bin, 'up', '--data-dir', dataDir], env());
    const postgresPid = Number(
      (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0],
    );
    process.kill(up.child.pid ?? 0, 'SIGKILL');
    await new Promise((resolve) => up.child.once('exit', resolve));
    expect(processesOf(dataDir)).toContain(postgresPid);

    const sync = await runTotes(['sync', '--data-dir', dataDir], env());
    expect(sync.stderr).toMatch(
      new RegExp(
        `recovered from an earlier crash: took over the lock of \`totes up\` \\(pid ${up.child.pid}, since [^)]+\\), which is gone; stopped an orphaned PostgreSQL \\(pid ${postgresPid}\\)`,
      ),
    );
    expect(sync.code, sync.stdout + sync.stderr).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);
  });
});
