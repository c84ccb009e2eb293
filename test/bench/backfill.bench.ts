import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres } from '@totes/local';
import { stageSettings } from '@totes/pipeline';
import { readDdl } from '@totes/schema';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { runCost } from './aws-cost';
import { pipelineLogStages, s3RequestsOf } from './pipeline-log-stages';
import { sampleProcessTree } from './process-tree-memory';

// `pnpm bench backfill [--scale N] [--changes N]`: seeds totesys-sim at scale factor N (default
// 10) into a PostgreSQL of its own and measures, in the same run:
// - the floor: after VACUUM (FREEZE, ANALYZE) and CHECKPOINT, a binary COPY, table by table,
//   psql to psql, of the 11 tables into a second database built from totesys.sql (foreign keys
//   included, so tables go in their dependency order);
// - a cold `totes sync` into an empty warehouse on the same server, timed from outside as a
//   user runs it (start-up included), with the memory of its process tree, the time until the
//   first fact row is visible, and each stage's busy time, objects and rows from its log;
// - then an incremental `totes sync` after `--changes` rows (default 1,000) were changed.
// The cost per million rows prices the stages' handler time and requests at AWS's prices.

const root = resolve(import.meta.dirname, '../..');
const totes = join(root, 'packages/cli/bin/totes.mjs');
const psql = process.env.PSQL ?? '/usr/lib/postgresql/15/bin/psql';
const factTables = ['fact_sales_order', 'fact_purchase_order', 'fact_payment'] as const;
const round3 = (value: number) => Number(value.toFixed(3));

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Rows frozen, statistics current, dirty pages written: no background write lands in a run. */
const settle = (url: string) =>
  withClient(url, async (client) => {
    await client.query('VACUUM (FREEZE, ANALYZE)');
    await client.query('CHECKPOINT');
  });

/** The source tables, each after every table it references. */
async function dependencyOrder(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
        ORDER BY c.relname`,
    );
    const { rows: edges } = await client.query<{ child: string; parent: string }>(
      `SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent
         FROM pg_constraint WHERE contype = 'f'`,
    );
    const strip = (name: string) => name.replace(/^"|"$/g, '');
    const ordered: string[] = [];
    const visit = (name: string) => {
      if (ordered.includes(name)) return;
      for (const edge of edges)
        if (strip(edge.child) === name && strip(edge.parent) !== name) visit(strip(edge.parent));
      ordered.push(name);
    };
    for (const { name } of tables) visit(name);
    return ordered;
  });
}

/** `psql -c "COPY t TO STDOUT (FORMAT binary)" | psql -c "COPY t FROM STDIN (FORMAT binary)"`. */
function psqlCopy(table: string, from: string, to: string): Promise<void> {
  const name = pg.escapeIdentifier(table);
  return new Promise((done, fail) => {
    const reader = spawn(
      psql,
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', from, '-c', `COPY ${name} TO STDOUT (FORMAT binary)`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const writer = spawn(
      psql,
      ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', to, '-c', `COPY ${name} FROM STDIN (FORMAT binary)`],
      {
        stdio: ['pipe', 'ignore', 'inherit'],
      },
    );
    reader.stdout.pipe(writer.stdin);
    let exited = 0;
    const onExit = (code: number | null) => {
      if (code !== 0) fail(new Error(`psql COPY of ${table} exited with ${code}`));
      else if (++exited === 2) done();
    };
    reader.on('exit', onExit);
    writer.on('exit', onExit);
  });
}

/** What one `totes sync` did, timed from outside. */
interface SyncRun {
  readonly seconds: number;
  readonly exitCode: number | null;
  readonly result: { readonly deadLetters?: readonly unknown[] } | undefined;
  readonly firstFactSeconds: number | undefined;
  readonly stackPeakMb: number;
  readonly largestProcess: { readonly command: string; readonly mb: number } | undefined;
  /** CPU seconds of the sync's process tree, and of PostgreSQL's meanwhile. */
  readonly cpuSeconds: number;
  readonly postgresCpuSeconds: number;
  /** Peak RSS of each of the sync's processes, largest first. */
  readonly processes: readonly { readonly command: string; readonly mb: number }[];
}

/** Runs `totes sync` as a user would, watching its memory and the warehouse's fact tables. */
async function timedSync(
  dataDir: string,
  totesysUrl: string,
  warehouseUrl: string,
  postgresPid: number,
  env: Readonly<Record<string, string>> = {},
): Promise<SyncRun> {
  const watcher = new pg.Client({ connectionString: warehouseUrl });
  await watcher.connect();
  const started = performance.now();
  const child = spawn(
    totes,
    ['sync', '--data-dir', dataDir, '--totesys-url', totesysUrl, '--warehouse-url', warehouseUrl, '--json'],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'DEBUG', ...env } },
  );
  const memory = sampleProcessTree(child.pid as number);
  const postgres = sampleProcessTree(postgresPid, 500);
  let out = '';
  child.stdout.on('data', (data: Buffer) => {
    out += data.toString();
  });
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  let firstFactSeconds: number | undefined;
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const facts = factTables
    .map((table) => `EXISTS (SELECT 1 FROM ${pg.escapeIdentifier(table)})`)
    .join(' OR ');
  while (running && firstFactSeconds === undefined) {
    const seen = await watcher.query<{ seen: boolean }>(`SELECT ${facts} AS seen`).catch(() => undefined);
    if (seen?.rows[0]?.seen) firstFactSeconds = (performance.now() - started) / 1000;
    else await new Promise((done) => setTimeout(done, 100));
  }
  const exitCode = await exited;
  const seconds = (performance.now() - started) / 1000;
  await watcher.end();
  const { peakTreeMb, peakByProcess, cpuSeconds } = await memory.stop();
  const postgresCpu = (await postgres.stop()).cpuSeconds;
  const last = out.trim().split('\n').at(-1);
  let result: SyncRun['result'];
  try {
    result = last ? JSON.parse(last) : undefined;
  } catch {
    result = undefined;
  }
  const [largest] = peakByProcess;
  return {
    seconds,
    exitCode,
    result,
    firstFactSeconds,
    stackPeakMb: peakTreeMb,
    largestProcess: largest ? { command: largest.command.slice(0, 120), mb: largest.mb } : undefined,
    cpuSeconds,
    postgresCpuSeconds: postgresCpu,
    processes: peakByProcess.map(({ command, mb }) => ({
      command: command.split('/').at(-1)?.slice(0, 40) ?? '',
      mb,
    })),
  };
}

/** Changes `count` rows of totesys as its users would: half sales orders, half payments. */
async function changeRows(url: string, count: number): Promise<void> {
  await withClient(url, async (client) => {
    const now = `date_trunc('milliseconds', localtimestamp)`;
    const half = Math.floor(count / 2);
    await client.query(
      `UPDATE sales_order SET units_sold = units_sold + 1, last_updated = ${now}
        WHERE sales_order_id IN (SELECT sales_order_id FROM sales_order ORDER BY sales_order_id DESC LIMIT $1)`,
      [half],
    );
    await client.query(
      `UPDATE payment SET paid = NOT paid, last_updated = ${now}
        WHERE payment_id IN (SELECT payment_id FROM payment ORDER BY payment_id DESC LIMIT $1)`,
      [count - half],
    );
  });
}

/** Reads `--variants "A=1 B=2;A=3"`: each is the environment of one cold sync, run in turn. */
function variantsOf(args: readonly string[]): readonly Readonly<Record<string, string>>[] {
  const index = args.indexOf('--variants');
  if (index < 0) return [{}];
  return (args[index + 1] ?? '').split(';').map((variant) =>
    Object.fromEntries(
      variant
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
  );
}

/** The figures of one cold sync: its run, and each stage's work from its log. */
async function coldFigures(stackDir: string, since: Date, cold: SyncRun, floorSeconds: number, rows: number) {
  const files = ['pipeline.log.3', 'pipeline.log.2', 'pipeline.log.1', 'pipeline.log']
    .map((name) => join(stackDir, 'logs', name))
    .filter((file) => existsSync(file));
  const stages = await pipelineLogStages(files, since);
  const s3Requests = await s3RequestsOf(files, since);
  const memoryMb = { extract: 0, transform: 0, load: 0 };
  const fifo = { extract: false, transform: false, load: false };
  for (const stage of ['extract', 'transform', 'load'] as const) {
    memoryMb[stage] = stageSettings[stage].memoryMb;
    fifo[stage] = stageSettings[stage].fifo;
  }
  const cost = runCost(stages, memoryMb, fifo, s3Requests);
  return {
    seconds: round3(cold.seconds),
    rows_per_s: Math.round(rows / cold.seconds),
    ratio: round3(cold.seconds / floorSeconds),
    exit_code: cold.exitCode,
    dead_letters: cold.result?.deadLetters?.length ?? null,
    first_fact_seconds: cold.firstFactSeconds === undefined ? null : round3(cold.firstFactSeconds),
    stack_peak_rss_mb: cold.stackPeakMb,
    largest_process_peak_rss_mb: cold.largestProcess?.mb ?? null,
    largest_process: cold.largestProcess?.command ?? null,
    process_peak_rss_mb: cold.processes.map((process) => process.mb),
    sync_cpu_seconds: cold.cpuSeconds,
    postgres_cpu_seconds: cold.postgresCpuSeconds,
    stages,
    s3_requests: s3Requests,
    usd: Object.fromEntries(Object.entries(cost).map(([part, usd]) => [part, Number(usd.toPrecision(3))])),
    usd_per_million_rows: Number((cost.total / (rows / 1e6)).toPrecision(3)),
  };
}

export default async function backfillBench(args: string[]): Promise<void> {
  const option = (name: string, fallback: number) => {
    const index = args.indexOf(name);
    return index >= 0 ? Number(args[index + 1]) : fallback;
  };
  const scale = option('--scale', Number(args.find((arg) => /^\d+$/.test(arg)) ?? 10));
  const changes = option('--changes', 1000);
  const variants = variantsOf(args);
  const dir = await mkdtemp(join(tmpdir(), 'totes-bench-backfill-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  try {
    for (const name of ['totesys', 'floor']) await server.ensureDatabase(name);
    const totesysUrl = server.url('totesys');
    process.stderr.write(`seeding scale factor ${scale}…\n`);
    const seeded = await seedTotesys(totesysUrl, { scale, seed: 1 });
    const rows = Object.values(seeded.tables).reduce((sum, n) => sum + n, 0);
    await settle(totesysUrl);

    process.stderr.write('floor: binary COPY psql → psql of every table…\n');
    await withClient(server.url('floor'), async (client) => {
      await client.query(await readDdl('totesys'));
    });
    const order = await dependencyOrder(server.url('floor'));
    const floorStarted = performance.now();
    for (const table of order) await psqlCopy(table, totesysUrl, server.url('floor'));
    const floorSeconds = (performance.now() - floorStarted) / 1000;
    await withClient(server.url('floor'), (client) => client.query('CHECKPOINT'));
    process.stderr.write(`floor ${floorSeconds.toFixed(2)} s\n`);

    const postgresPid = Number((await readFile(join(dir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    const runs = [];
    for (const [index, env] of variants.entries()) {
      const database = `warehouse_${index}`;
      await server.ensureDatabase(database);
      const stackDir = join(dir, `stack-${index}`);
      const since = new Date();
      const cold = await timedSync(stackDir, totesysUrl, server.url(database), postgresPid, env);
      process.stderr.write(`cold sync ${JSON.stringify(env)}: ${cold.seconds.toFixed(2)} s\n`);
      runs.push({
        env,
        stackDir,
        database,
        figures: await coldFigures(stackDir, since, cold, floorSeconds, rows),
      });
    }
    await changeRows(totesysUrl, changes);
    const incrementals: Record<string, unknown>[] = [];
    for (const run of runs) {
      const incremental = await timedSync(
        run.stackDir,
        totesysUrl,
        server.url(run.database),
        postgresPid,
        run.env,
      );
      process.stderr.write(
        `incremental sync ${JSON.stringify(run.env)}: ${incremental.seconds.toFixed(2)} s\n`,
      );
      incrementals.push({
        incremental_changed_rows: changes,
        incremental_seconds: round3(incremental.seconds),
        incremental_exit_code: incremental.exitCode,
        incremental_dead_letters: incremental.result?.deadLetters?.length ?? null,
      });
    }
    const [first, ...others] = runs.map((run, index) => ({
      ...(variants.length > 1 ? { env: run.env } : {}),
      ...run.figures,
      ...incrementals[index],
    }));
    process.stdout.write(
      `${JSON.stringify({
        name: 'backfill',
        scale,
        rows,
        floor: 'psql COPY … TO STDOUT (binary) | psql COPY … FROM STDIN, table by table',
        floor_seconds: round3(floorSeconds),
        ...first,
        ...(others.length > 0 ? { other_variants: others } : {}),
      })}\n`,
    );
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
