import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createZstdCompress } from 'node:zlib';
import { ingestKey, ingestZstdParams, stageSettings } from '@totes/pipeline';
import { runBenchChild } from '../../../test/bench/bench-child';
import { benchReport } from '../../../test/bench/bench-report';
import { transformRowsObject } from '../src/transform-rows-object';

// `pnpm bench transform [rows…]`: sales_order JSON Lines → fact_sales_order Parquet through the
// transformer's own streaming path, against DuckDB's native JSON → Parquet COPY of the same file
// to the same columns. Each run is a child process of its own, so its peak RSS is its own (and
// DuckDB is imported only where it runs: its native library alone is tens of MB of RSS).

const duckDb = () => import('../test/duckdb-baseline');

/** What one child run measured. */
interface RunResult {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  /** The most JS heap in use at any 50 ms sample: what the run retains, without V8's reserve. */
  readonly peakHeapUsedMb: number;
  readonly rows?: number;
}

const defaultSizes = [100_000, 1_000_000];
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** A small seeded generator (mulberry32), so every run reads the same rows. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const timestamp = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 23);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Valid sales_order rows like totesys's: two years of orders, prices to the cent, some edited. */
function* salesOrders(count: number): Generator<string> {
  const random = seeded(20241104);
  const pick = (n: number) => 1 + Math.floor(random() * n);
  const start = Date.UTC(2022, 10, 3, 8);
  const span = 2 * 365 * 86_400_000;
  for (let id = 1; id <= count; id += 1) {
    const created = start + Math.floor((id / count) * span) + Math.floor(random() * 1000);
    const updated = random() < 0.1 ? created + Math.floor(random() * 5 * 86_400_000) : created;
    const cents = 100 + Math.floor(random() * 400);
    yield JSON.stringify({
      sales_order_id: id,
      created_at: timestamp(created),
      last_updated: timestamp(updated),
      design_id: pick(470),
      staff_id: pick(20),
      counterparty_id: pick(20),
      units_sold: 1000 + Math.floor(random() * 99_000),
      unit_price: `${Math.floor(cents / 100)}.${pad(cents % 100)}`,
      currency_id: pick(3),
      agreed_delivery_date: day(created + pick(7) * 86_400_000),
      agreed_payment_date: day(created + pick(7) * 86_400_000),
      agreed_delivery_location_id: pick(30),
    });
  }
}

/**
 * Writes the input as the extractor does: JSON Lines as one zstd frame, compressed as it is
 * written (the extractor's parameters).
 */
async function writeInput(path: string, rows: number): Promise<void> {
  const lines = Readable.from(
    (function* () {
      for (const line of salesOrders(rows)) yield `${line}\n`;
    })(),
  );
  const zstd = createZstdCompress({ params: ingestZstdParams });
  await pipeline(lines, zstd, createWriteStream(path));
}

/** Runs the transformer's path on one file, with the buckets as local files. */
async function runOurs(input: string, output: string, rows: number): Promise<number> {
  const key = ingestKey({
    kind: 'changes',
    table: 'sales_order',
    after: null,
    through: { lastUpdated: '2024-11-02 08:00:00.000', id: rows },
  });
  const outcome = await transformRowsObject(
    {
      ingest: {
        bucket: 'bench-ingest',
        get: async () => ({ body: createReadStream(input), metadata: {}, eTag: '' }),
        list: async function* () {},
      },
      processed: {
        bucket: 'bench-processed',
        head: async () => undefined,
        put: async (_key: string, body: Readable | Buffer | string) => {
          await pipeline(body as Readable, createWriteStream(output));
          return { eTag: '' };
        },
      },
    },
    { target: 'fact_sales_order', key, generation: 1 },
  );
  return outcome.status === 'written' ? outcome.rowsOut : 0;
}

/** Child process: runs one side and prints its measurement as JSON. */
async function child([side, input, output, rows]: string[]): Promise<void> {
  let peakHeapUsed = 0;
  const sampler = setInterval(() => {
    peakHeapUsed = Math.max(peakHeapUsed, process.memoryUsage().heapUsed);
  }, 50);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const written =
    side === 'ours'
      ? await runOurs(input as string, output as string, Number(rows))
      : await (await duckDb()).duckDbSalesOrderParquet(input as string, output as string);
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  const result: RunResult = {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapUsedMb: Math.round(peakHeapUsed / 2 ** 20),
    ...(typeof written === 'number' ? { rows: written } : {}),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function runChild(args: string[]): Promise<RunResult> {
  // The measured process runs with the transformer functions' own Node options.
  return runBenchChild<RunResult>('transform', args, { nodeOptions: stageSettings.transform.nodeOptions });
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const say = (line: string) => process.stdout.write(`${line}\n`);

export default async function transformBench(args: string[]): Promise<void> {
  if (args[0] === '--child') return child(args.slice(1));
  const sizes = args.length > 0 ? args.map(Number) : defaultSizes;
  const folder = await mkdtemp(join(tmpdir(), 'totes-bench-transform-'));
  const figures: Record<string, unknown> = {};
  let last: { rows: number; ours: RunResult; duck: RunResult } | undefined;
  try {
    for (const rows of sizes) {
      const input = join(folder, `sales_order-${rows}.jsonl.zst`);
      const ours = join(folder, `ours-${rows}.parquet`);
      const theirs = join(folder, `duckdb-${rows}.parquet`);
      await writeInput(input, rows);
      const oursRun = await runChild(['ours', input, ours, String(rows)]);
      const duckRun = await runChild(['duckdb', input, theirs, String(rows)]);
      const check = await (await duckDb()).compareParquet(ours, theirs);
      const identical =
        check.rows === rows &&
        check.otherRows === rows &&
        check.differingRows === 0 &&
        JSON.stringify(check.types) === JSON.stringify(check.otherTypes);
      const sizeMb = (path: string) => stat(path).then((s) => round(s.size / 2 ** 20, 1));
      const figure = {
        rows_per_s: Math.round(rows / oursRun.seconds),
        cpu_rows_per_s: Math.round(rows / oursRun.cpuSeconds),
        seconds: round(oursRun.seconds),
        peak_rss_mb: oursRun.peakRssMb,
        peak_heap_used_mb: oursRun.peakHeapUsedMb,
        duckdb_rows_per_s: Math.round(rows / duckRun.seconds),
        duckdb_seconds: round(duckRun.seconds),
        duckdb_peak_rss_mb: duckRun.peakRssMb,
        ratio: round(duckRun.seconds / oursRun.seconds),
        input_mb: await sizeMb(input),
        parquet_mb: await sizeMb(ours),
        duckdb_parquet_mb: await sizeMb(theirs),
        identical_to_duckdb: identical,
        differing_rows: check.differingRows,
      };
      figures[`at_${rows >= 1e6 ? `${rows / 1e6}m` : `${rows / 1e3}k`}`] = figure;
      say(`${rows} rows: ${JSON.stringify(figure)}`);
      if (!identical)
        say(`types: ${JSON.stringify(check.types)} vs DuckDB ${JSON.stringify(check.otherTypes)}`);
      last = { rows, ours: oursRun, duck: duckRun };
      await rm(input);
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  if (!last) return;
  const report = benchReport({
    name: 'transform',
    rows: last.rows,
    seconds: last.ours.seconds,
    baseline: 'DuckDB COPY (SELECT … FROM read_json(…)) TO … (FORMAT parquet), same columns and types',
    baselineSeconds: last.duck.seconds,
    extra: { ...figures, peak_rss_mb: last.ours.peakRssMb, duckdb_peak_rss_mb: last.duck.peakRssMb },
  });
  say(JSON.stringify(report));
}
