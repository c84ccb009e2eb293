import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@totes/local';
import { warehouseTableNames } from '@totes/pipeline';
import { useTestDatabase } from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

const bin = fileURLToPath(new URL('../bin/totes.mjs', import.meta.url));

/** Starts `totes up` and waits for its status lines; `output` is all it has printed so far. */
async function startUp(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ readonly child: ChildProcess; output(): string }> {
  const child = spawn(process.execPath, [bin, 'up', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.on('data', (chunk) => {
    text += String(chunk);
  });
  child.stderr?.on('data', (chunk) => {
    text += String(chunk);
  });
  const deadline = Date.now() + 90_000;
  while (!warehouseTableNames.every((table) => text.includes(`\n${table} `))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`totes up printed no status lines:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { child, output: () => text };
}

describe('a running local stack', () => {
  const totesys = useTestDatabase('cli_running');
  let dataDir: string;
  let port: number;
  let up: ChildProcess;
  let upOutput: () => string;
  const env = () => ({ TOTESYS_URL: totesys.url, TOTES_POSTGRES_PORT: String(port) });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-running-'));
    port = await freePort();
    await seedTotesys(totesys.url, { scale: 0.02, seed: 5 });
    ({ child: up, output: upOutput } = await startUp(['--data-dir', dataDir, '--no-traffic'], env()));
  });
  afterAll(async () => {
    if (up && up.exitCode === null) {
      const exited = new Promise((resolve) => up.once('exit', resolve));
      up.kill('SIGINT');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('`totes up` prints its own lines in 80 columns, through a pipe', () => {
    const lines = upOutput().split('\n');
    expect(lines.some((line) => line.startsWith('S3          http://127.0.0.1:'))).toBe(true);
    // A database URL or a data directory is as long as the user made it; every other line fits.
    const own = lines.filter((line) => !/^(totesys|warehouse|logs) /.test(line));
    expect(own.filter((line) => line.length > 80)).toEqual([]);
  });

  it('`totes url` prints the warehouse URL with its password, on the configured port, and it connects', async () => {
    const run = await runTotes(['url', '--data-dir', dataDir]);
    expect(run.code, run.stderr).toBe(0);
    const url = run.stdout.trim();
    expect(url).toBe(`postgresql://postgres:totes-local@127.0.0.1:${port}/warehouse`);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT to_regclass('public.fact_sales_order') IS NOT NULL AS found",
      );
      expect(rows[0]?.found).toBe(true);
    } finally {
      await client.end();
    }
    const json = await runTotes(['url', '--data-dir', dataDir, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ database: 'warehouse', url });
  });

  it('`totes up` prints the dashboard’s address with the others, and the dashboard answers there', async () => {
    const line = upOutput().match(/^dashboard {3}(http:\/\/127\.0\.0\.1:\d+)$/m);
    expect(line, upOutput()).not.toBeNull();
    const url = line?.[1] ?? '';

    const overview = await fetch(`${url}/`);
    const health = await fetch(`${url}/api/health`);

    expect(overview.status).toBe(200);
    expect(await overview.text()).toMatch(/<title>Overview · Terrific Totes dashboard<\/title>/);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { warehouseReachable: boolean; tables: { table: string }[] };
    expect(body.warehouseReachable).toBe(true);
    expect(body.tables.map((row) => row.table)).toEqual([...warehouseTableNames]);
  });

  it('`totes url totesys` refuses a totesys given by URL and never prints its password', async () => {
    const run = await runTotes(['url', 'totesys', '--data-dir', dataDir, '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatch(/not its own embedded database/);
    const password = new URL(totesys.url).password;
    if (password) expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });

  it('`totes seed` on its data directory is refused, naming the holder, never as "undefined"', async () => {
    const run = await runTotes(['seed', '--data-dir', dataDir, '--json'], { TOTESYS_URL: '' });
    expect(run.code).toBe(1);
    const { error } = JSON.parse(run.stdout);
    expect(error).toMatch(/in use by `totes up` \(pid \d+/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/undefined/);
  });

  it('`totes doctor` finds nothing wrong with it: the lock held by `totes up`, the emulator with every queue, both databases', async () => {
    const run = await runTotes(['doctor', '--data-dir', dataDir, '--json'], { TOTESYS_URL: '' });
    const report = JSON.parse(run.stdout);
    expect(report.checks.filter((check: { status: string }) => check.status === 'fail')).toEqual([]);
    expect(run.code).toBe(0);
    expect(report).toMatchObject({ ok: true, running: true });
    const byName = new Map(report.checks.map((check: { check: string }) => [check.check, check]));
    expect(byName.get('lock')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^held by `totes up`/),
    });
    expect(byName.get('AWS emulator')).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/with all \d+ queues/),
    });
    expect(byName.get(`port ${port}`)).toMatchObject({
      status: 'ok',
      detail: 'PostgreSQL of the running stack listens',
    });
    expect(byName.get('totesys pg_read_all_stats')).toMatchObject({ status: 'ok' });
    expect(byName.get('warehouse grants')).toMatchObject({ status: 'ok' });
  });

  it('`totes state` shows each extraction’s watermark or snapshot, and no source row left untaken once it has caught up', async () => {
    type State = {
      table: string;
      kind: string;
      sourceRows: number;
      pendingRows: number | null;
      extractedUpTo: string | null;
      snapshot: string | null;
    };
    let states: State[] = [];
    const deadline = Date.now() + 60_000;
    do {
      const run = await runTotes(['state', '--data-dir', dataDir, '--json'], { TOTESYS_URL: '' });
      expect(run.code, run.stderr).toBe(0);
      states = JSON.parse(run.stdout).tables;
    } while (
      states.some((state) => state.pendingRows !== 0 && state.kind === 'event') &&
      Date.now() < deadline
    );
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    try {
      for (const state of states) {
        const { rows } = await client.query(
          `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(state.table)}`,
        );
        expect(state.sourceRows, state.table).toBe(rows[0].n);
        if (state.kind === 'event') {
          expect(state.pendingRows, state.table).toBe(0);
          expect(state.extractedUpTo, state.table).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
        } else {
          expect(state.snapshot, state.table).toMatch(new RegExp(`^${state.table}/`));
        }
      }
    } finally {
      await client.end();
    }
    const one = await runTotes(['state', 'sales_order', '--data-dir', dataDir]);
    expect(one.stdout).toMatch(/^table {9}sales_order \(event\)$/m);
    expect(one.stdout).toMatch(/^watermark {5}\d{4}-.*, id \d+$/m);
    expect(one.stdout).toMatch(/^not yet taken 0$/m);
  });

  it('`totes url` on a data directory where no `totes up` runs says how to start one', async () => {
    const run = await runTotes(['url', '--data-dir', join(dataDir, 'elsewhere'), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatch(/no `totes up` runs from .*elsewhere: start the stack/);
  });

  it('`totes reprocess` follows a re-extraction on the running stack until its rows are in the warehouse', async () => {
    const [payments, designs] = await Promise.all(
      ['payment', 'design'].map(async (table) => {
        const client = new pg.Client({ connectionString: totesys.url });
        await client.connect();
        try {
          const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(table)}`);
          return rows[0]?.n as number;
        } finally {
          await client.end();
        }
      }),
    );
    const run = await runTotes(['reprocess', 'fact_payment', '--data-dir', dataDir, '--json'], {
      TOTESYS_URL: totesys.url,
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      from: 'extract',
      tables: ['payment'],
      progress: [{ table: 'fact_payment', done: payments, expected: payments }],
      deadLetterQueues: [],
    });
    const reference = await runTotes(['reprocess', 'design', '--data-dir', dataDir], {
      TOTESYS_URL: totesys.url,
    });
    expect(reference.code, reference.stderr).toBe(0);
    expect(reference.stdout).toMatch(new RegExp(`dim_design\\s+${designs}\\s+${designs}\\s+0\\n`));
    expect(reference.stdout).toMatch(/reprocessed in [\d.]+ s/);
    // The stack it followed is still running.
    expect(up.exitCode).toBeNull();
  }, 240_000);

  it('`totes state reset` asks to confirm, and with --yes forgets where the extraction stood', async () => {
    const exited = new Promise((resolve) => up.once('exit', resolve));
    up.kill('SIGINT');
    await exited;
    // Stopping, it said what the run did: the whole first load, and nothing failed.
    expect(upOutput()).toMatch(
      /\nthis run loaded [\d,]+ rows; 0 message\(s\) dead-lettered, 0 row\(s\) quarantined\n/,
    );

    const unconfirmed = await runTotes(['state', 'reset', 'sales_order', '--data-dir', dataDir, '--json']);
    expect(unconfirmed.code).toBe(2);
    expect(JSON.parse(unconfirmed.stdout).error).toMatch(/add --yes/);

    const reset = await runTotes(
      ['state', 'reset', 'sales_order', '--data-dir', dataDir, '--yes', '--json'],
      {
        TOTESYS_URL: totesys.url,
      },
    );
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ table: 'sales_order', reset: true });

    const after = await runTotes(['state', 'sales_order', '--data-dir', dataDir, '--json'], {
      TOTESYS_URL: totesys.url,
    });
    const [state] = JSON.parse(after.stdout).tables;
    expect(state).toMatchObject({
      table: 'sales_order',
      stateSavedAt: null,
      extractedUpTo: null,
      firstExtraction: null,
    });
    expect(state.pendingRows).toBe(state.sourceRows);
    expect(state.sourceRows).toBeGreaterThan(0);
  });
});
