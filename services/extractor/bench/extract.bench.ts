import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsClients, startEmbeddedAws, startEmbeddedPostgres } from '@totes/local';
import { type ExtractState, extractorDefaults, initialState, stageSettings } from '@totes/pipeline';
import { createAwsClients, type ObjectStore, s3ObjectStore } from '@totes/runtime';
import { cachedConnectionString } from '@totes/runtime/database';
import { columnsOf, totesysTables } from '@totes/schema';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { runBenchChild, spawnBench } from '../../../test/bench/bench-child';
import { benchReport } from '../../../test/bench/bench-report';
import { createExtractHandler, type StateStore } from '../src/index';

// `pnpm bench extract [rows…]`: the extractor's first incremental run over every sales_order row
// of a totesys-sim database into the AWS emulator (default chunks of 50,000 rows), against
// `COPY (SELECT <its columns> FROM sales_order) TO STDOUT` of the same rows in the same run.
// Every run is a child process, so its peak RSS is its own, and the emulator runs in a process
// of its own too (it keeps objects in memory, and in production S3 is not in the function).

const defaultSizes = [100_000, 1_000_000];
const cores = availableParallelism();
// totesys-sim makes a little over this many sales orders per unit of scale (scale 91: 1,002,432).
const salesOrdersPerScale = 10_989;
const rounds = 2;

/** What one child run measured. */
interface RunResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  /** The highest RSS sampled in the first and in the second half of the run: flat if alike. */
  readonly rssHalvesMb: readonly [number, number];
  readonly rows: number;
  readonly bytes?: number;
  readonly objects?: number;
  /** CPU seconds by kind of thread: the main thread, V8's workers (GC, compilation), libuv's pool (gzip). */
  readonly threadCpuSeconds: Readonly<Record<string, number>>;
}

/** A run with what the processes beside it did for it, measured from outside the run. */
interface MeasuredRun extends RunResult {
  readonly postgresCpuSeconds: number;
  /** For runs into the emulator: its CPU while the run stored its objects, and their bytes. */
  readonly emulatorCpuSeconds: number;
  readonly storedBytes: number;
}

// Thread names as Linux shows them (`/proc/self/task/*/comm`), and what the report calls them.
const threadKinds: Readonly<Record<string, string>> = {
  MainThread: 'main',
  V8Worker: 'v8_workers',
  'libuv-worker': 'libuv_pool',
};

/** CPU seconds each kind of thread of this process has used so far (Linux; empty elsewhere). */
async function threadCpuSeconds(): Promise<Record<string, number>> {
  const seconds: Record<string, number> = {};
  const tasks = await readdir('/proc/self/task').catch(() => [] as string[]);
  for (const task of tasks) {
    const [name, stat] = await Promise.all([
      readFile(`/proc/self/task/${task}/comm`, 'utf8').catch(() => ''),
      readFile(`/proc/self/task/${task}/stat`, 'utf8').catch(() => ''),
    ]);
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const kind = threadKinds[name.trim()] ?? 'other';
    seconds[kind] = (seconds[kind] ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100 || 0;
  }
  return seconds;
}

const columns = columnsOf(totesysTables.sales_order)
  .map((name) => pg.escapeIdentifier(name))
  .join(', ');
const baselineSql = `COPY (SELECT ${columns} FROM sales_order) TO STDOUT`;

/**
 * Empties a bucket and returns the bytes that were stored under its `sales_order/` prefix. The
 * emulator keeps objects in memory; emptied, it starts every run alike instead of holding every
 * earlier run's objects too.
 */
async function emptyBucket(s3: S3Client, bucket: string): Promise<number> {
  let bytes = 0;
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    const objects = page.Contents ?? [];
    for (const object of objects) if (object.Key?.startsWith('sales_order/')) bytes += object.Size ?? 0;
    if (objects.length === 0) continue;
    await s3.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: objects.map((object) => ({ Key: object.Key })) },
      }),
    );
  }
  return bytes;
}

async function copyBaseline(url: string): Promise<{ rows: number; bytes: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    let bytes = 0;
    let rows = 0;
    for await (const chunk of client.query(copyTo(baselineSql)) as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows += 1;
    }
    return { rows, bytes };
  } finally {
    await client.end();
  }
}

/**
 * Leaves a freshly seeded database as a long-running one is: every row's commit status recorded
 * and its pages marked all-visible (VACUUM), and the dirty pages written out (CHECKPOINT). Without
 * it, autovacuum and the checkpointer work through the new rows while the runs are measured, and
 * the first scans of each table write hint bits back to every page.
 */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (FREEZE, ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

/** A bucket that reads every body to the end and keeps nothing: the extraction without the upload. */
function discardingStore(): ObjectStore {
  return {
    bucket: 'discard',
    async put(_key, body) {
      if (typeof body !== 'string' && !Buffer.isBuffer(body)) for await (const _ of body as Readable);
      return { eTag: '' };
    },
    get: () => Promise.reject(new Error('nothing is kept')),
    head: async () => undefined,
    list: async function* () {},
  };
}

function memoryState(): StateStore {
  const states = new Map<string, ExtractState>();
  return {
    read: async (table) => states.get(table) ?? initialState,
    write: async (table, state) => void states.set(table, state),
  };
}

async function extract(url: string, bucket: string, discard: boolean) {
  let outcome: Record<string, unknown> = {};
  // The S3 client a function makes, the endpoint from `AWS_ENDPOINT_URL` (set by the parent).
  const { s3 } = createAwsClients({ forcePathStyle: true });
  const handler = createExtractHandler(
    { ...extractorDefaults, table: 'sales_order', commitMarginMs: 1 },
    {
      totesys: cachedConnectionString(async () => url),
      ...(discard
        ? { store: discardingStore(), state: memoryState() }
        : { store: s3ObjectStore(s3, bucket) }),
      queue: { send: () => Promise.reject(new Error('the benchmark run should not need a continuation')) },
      logger: {
        info: (_: string, fields: Record<string, unknown>) => {
          outcome = fields;
        },
        warn() {},
        debug() {},
        error: (message: string, fields: unknown) =>
          process.stderr.write(`${message} ${JSON.stringify(fields)}\n`),
      } as never,
      metrics: { add() {}, flush() {} },
    },
  );
  const body = JSON.stringify({ mode: 'incremental', table: 'sales_order' });
  const response = await handler({ Records: [{ messageId: '1', body } as never] }, {} as never);
  if (response.batchItemFailures.length > 0) throw new Error('the extraction failed (see stderr)');
  return { rows: Number(outcome.rows), objects: (outcome.objects as unknown[]).length };
}

/** Child process: runs one side and prints its measurement as JSON. */
async function child([side, url, bucket]: string[]): Promise<void> {
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(process.memoryUsage.rss()), 25);
  const threadsBefore = await threadCpuSeconds();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const measured =
    side === 'copy'
      ? await copyBaseline(url as string)
      : await extract(url as string, bucket as string, side === 'extract-discard');
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  const threadsAfter = await threadCpuSeconds();
  clearInterval(sampler);
  const half = Math.ceil(samples.length / 2);
  const peakMb = (values: number[]) => Math.round(Math.max(0, ...values) / 2 ** 20);
  const result: RunResult = {
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    threadCpuSeconds: Object.fromEntries(
      Object.entries(threadsAfter).map(([kind, total]) => [
        kind,
        round(total - (threadsBefore[kind] ?? 0), 2),
      ]),
    ),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    rssHalvesMb: [peakMb(samples.slice(0, half)), peakMb(samples.slice(half))],
    ...measured,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  // The extractor runs with the extractor functions' own Node options; the baseline without.
  const nodeOptions = args[0] === 'copy' ? [] : stageSettings.extract.nodeOptions;
  return runBenchChild<RunResult>('extract', args, { env, nodeOptions });
}

/** The CPU-time fields of `/proc/<pid>/stat` (Linux), in seconds; zeros elsewhere. */
async function cpuTimesOf(pid: number | undefined): Promise<{ own: number; endedChildren: number }> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const seconds = (a: number | undefined, b: number | undefined) => ((a ?? 0) + (b ?? 0)) / 100 || 0;
  return { own: seconds(fields[11], fields[12]), endedChildren: seconds(fields[13], fields[14]) };
}

/**
 * CPU seconds PostgreSQL's backends have used so far: a backend is a child of the server, and
 * once its connection has ended (each run's ends with the run) its time is added to the server's
 * own count of its ended children.
 */
async function postgresCpuSeconds(dataDir: string): Promise<number> {
  const pid = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0];
  const times = await cpuTimesOf(Number(pid) || undefined);
  return times.own + times.endedChildren;
}

/**
 * Runs one child and measures, around it, the CPU seconds PostgreSQL used and, with `emulator`,
 * the CPU the emulator used and the bytes the run stored in `bucket` (the bucket is emptied).
 */
async function measureRun(
  pgDataDir: string,
  run: () => Promise<RunResult>,
  emulator?: { readonly pid: number | undefined; readonly s3: S3Client; readonly bucket: string },
): Promise<MeasuredRun> {
  const postgresBefore = await postgresCpuSeconds(pgDataDir);
  const emulatorBefore = (await cpuTimesOf(emulator?.pid)).own;
  const result = await run();
  const emulatorCpuSeconds = emulator ? (await cpuTimesOf(emulator.pid)).own - emulatorBefore : 0;
  const storedBytes = emulator ? await emptyBucket(emulator.s3, emulator.bucket) : 0;
  // The server counts a backend once it has reaped it, just after the connection has ended.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const postgresAfter = await postgresCpuSeconds(pgDataDir);
  return { ...result, postgresCpuSeconds: postgresAfter - postgresBefore, emulatorCpuSeconds, storedBytes };
}

/** The emulator, in a process of its own; resolves with its endpoint and a way to stop it. */
function startEmulatorProcess(): Promise<{
  endpoint: string;
  region: string;
  pid: number | undefined;
  stop: () => void;
}> {
  return new Promise((resolve, reject) => {
    const proc = spawnBench('extract', ['--emulator']);
    let out = '';
    proc.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        const { endpoint, region } = JSON.parse(line) as { endpoint: string; region: string };
        resolve({ endpoint, region, pid: proc.pid, stop: () => proc.kill('SIGTERM') });
      }
    });
    proc.on('error', reject);
    proc.on('close', (code) => reject(new Error(`the emulator exited with ${code}`)));
  });
}

async function emulator(): Promise<void> {
  const aws = await startEmbeddedAws();
  process.stdout.write(`${JSON.stringify({ endpoint: aws.endpoint, region: aws.region })}\n`);
  process.on('SIGTERM', () => void aws.stop().finally(() => process.exit(0)));
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const say = (line: string) => process.stderr.write(`${line}\n`);
const fastest = <R extends RunResult>(runs: readonly R[]) =>
  runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const label = (rows: number) => (rows >= 1e6 ? `${round(rows / 1e6, 1)}m` : `${Math.round(rows / 1e3)}k`);

export default async function extractBench(args: string[]): Promise<void> {
  if (args[0] === '--child') return child(args.slice(1));
  if (args[0] === '--emulator') return emulator();
  const sizes = args.length > 0 ? args.map(Number) : defaultSizes;
  const dir = await mkdtemp(join(tmpdir(), 'totes-bench-extract-'));
  const pgDataDir = join(dir, 'pg');
  const server = await startEmbeddedPostgres({ dataDir: pgDataDir, persistent: false });
  const aws = await startEmulatorProcess();
  const clients = awsClients(aws);
  const env = {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const figures: Record<string, unknown> = {};
  let last: { rows: number; ours: RunResult; copy: RunResult } | undefined;
  let peakRssMb = 0;
  try {
    for (const size of sizes) {
      const database = `totesys_${size}`;
      await server.ensureDatabase(database);
      const url = server.url(database);
      const scale = size / salesOrdersPerScale;
      say(`seeding totesys at scale ${round(scale, 2)} for about ${size} sales orders…`);
      const seeded = await seedTotesys(url, { scale, seed: 1 });
      say('settling the database (VACUUM, CHECKPOINT)…');
      await settle(url);
      const copies: MeasuredRun[] = [];
      const uploads: MeasuredRun[] = [];
      const discards: RunResult[] = [];
      for (let round = 0; round < rounds; round += 1) {
        copies.push(await measureRun(pgDataDir, () => runChild(['copy', url])));
        const bucket = `bench-${randomBytes(6).toString('hex')}`;
        await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
        uploads.push(
          await measureRun(pgDataDir, () => runChild(['extract', url, bucket], env), {
            pid: aws.pid,
            s3: clients.s3,
            bucket,
          }),
        );
        discards.push(await runChild(['extract-discard', url, 'discard']));
      }
      const [copy, ours, discard] = [fastest(copies), fastest(uploads), fastest(discards)];
      const rows = seeded.tables.sales_order;
      if (ours.rows !== rows || copy.rows !== rows) {
        throw new Error(`expected ${rows} rows, the extractor took ${ours.rows} and COPY ${copy.rows}`);
      }
      // Everything the machine did for each side: the measured process, PostgreSQL, and for the
      // extraction the emulator storing its objects.
      const machineCpu = {
        copy: copy.cpuSeconds + copy.postgresCpuSeconds,
        extract: ours.cpuSeconds + ours.postgresCpuSeconds + ours.emulatorCpuSeconds,
      };
      const figure = {
        rows,
        rows_per_s: Math.round(rows / ours.seconds),
        seconds: round(ours.seconds),
        cpu_seconds: round(ours.cpuSeconds),
        cpu_seconds_by_thread: ours.threadCpuSeconds,
        peak_rss_mb: Math.max(...uploads.map((run) => run.peakRssMb)),
        rss_mb_first_and_second_half: ours.rssHalvesMb,
        objects: ours.objects,
        stored_mb: round(ours.storedBytes / 2 ** 20, 1),
        copy_text_mb: round((copy.bytes ?? 0) / 2 ** 20, 1),
        emulator_cpu_seconds: round(ours.emulatorCpuSeconds),
        postgres_cpu_seconds: {
          copy: round(copy.postgresCpuSeconds, 2),
          extract: round(ours.postgresCpuSeconds, 2),
        },
        machine_cpu_seconds: { copy: round(machineCpu.copy, 2), extract: round(machineCpu.extract, 2) },
        cores,
        // The ratio if the extraction kept every core busy from start to end: its machine CPU
        // spread over the cores, against the same COPY. Below 0.5, no scheduling reaches 0.5.
        ratio_with_every_core_busy: round(copy.seconds / (machineCpu.extract / cores)),
        copy_rows_per_s: Math.round(rows / copy.seconds),
        copy_seconds: round(copy.seconds),
        ratio: round(copy.seconds / ours.seconds),
        without_upload_rows_per_s: Math.round(rows / discard.seconds),
        without_upload_ratio: round(copy.seconds / discard.seconds),
        without_upload_peak_rss_mb: Math.max(...discards.map((run) => run.peakRssMb)),
        runs_seconds: {
          copy: copies.map((run) => round(run.seconds)),
          extract: uploads.map((run) => round(run.seconds)),
          extract_without_upload: discards.map((run) => round(run.seconds)),
        },
      };
      figures[`at_${label(rows)}`] = figure;
      say(`${label(rows)}: ${JSON.stringify(figure)}`);
      last = { rows, ours, copy };
      peakRssMb = Math.max(peakRssMb, ...uploads.map((run) => run.peakRssMb));
      await server.dropDatabase(database);
    }
  } finally {
    clients.destroy();
    aws.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
  if (!last) return;
  const report = benchReport({
    name: 'extract',
    rows: last.rows,
    seconds: last.ours.seconds,
    baseline: `${baselineSql.replace(columns, '<its 12 columns>')} (text format, same rows)`,
    baselineSeconds: last.copy.seconds,
    // The extractor's own peak (the largest of its runs), not this parent's, which seeded the database.
    extra: { ...figures, peak_rss_mb: peakRssMb },
  });
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
