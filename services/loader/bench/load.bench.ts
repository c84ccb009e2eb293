// `pnpm bench load`: loads 1M fact_sales_order rows from a processed Parquet object into the
// warehouse with the loader, against plain `COPY … FROM STDIN` of the same rows into an empty
// table; then loads the same object again (a ledger no-op) and the same rows under a new key (a
// content no-op, through the staged path since its natural keys are all there). Each load runs in
// a child process, so its peak RSS is its own: at 100k and 1M rows it should be the same (flat in
// object size).
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '@totes/local';
import { processedKey, stageSettings, type TargetTableName } from '@totes/pipeline';
import pg from 'pg';
import { runBenchChild } from '../../../test/bench/bench-child';
import { benchReport, peakRssMb } from '../../../test/bench/bench-report';
import { spoolObject } from '../src/copy/spool-object';
import { type LoadOutcome, loadObject } from '../src/load-object';
import { migrateWarehouse } from '../src/migrate-warehouse';
import { tableLayout } from '../src/statements/table-layout';
import { copyFile } from '../test/copy-file';
import { type ProcessedRow, processedObject } from '../test/processed-object';
import { writeProcessedFile } from '../test/write-processed-file';

const table = 'fact_sales_order' satisfies TargetTableName;
const batchRows = 100_000;
const dimensionSizes = { staff: 20, counterparty: 20, currency: 3, design: 470, location: 30 } as const;

type SalesRow = ProcessedRow<typeof table>;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const day = (epochDays: number) => new Date(epochDays * 86_400_000).toISOString().slice(0, 10);
const firstDay = Date.UTC(2022, 10, 3) / 86_400_000;

/** The `index`th sales order: deterministic, spread over two years, referencing every dimension. */
function salesRow(index: number): SalesRow {
  const created = firstDay + Math.floor(index / 1400);
  const millis = (index * 7_919) % 86_400_000;
  const time = `${pad(Math.floor(millis / 3_600_000))}:${pad(Math.floor(millis / 60_000) % 60)}:${pad(Math.floor(millis / 1000) % 60)}.${pad(millis % 1000, 3)}`;
  return {
    sales_order_id: index + 1,
    created_date: day(created),
    created_time: time,
    last_updated_date: day(created + (index % 3)),
    last_updated_time: time,
    sales_staff_id: (index % dimensionSizes.staff) + 1,
    counterparty_id: (index % dimensionSizes.counterparty) + 1,
    units_sold: 1_000 + ((index * 37) % 99_000),
    unit_price: `${2 + (index % 3)}.${pad((index * 13) % 100)}`,
    currency_id: (index % dimensionSizes.currency) + 1,
    design_id: (index % dimensionSizes.design) + 1,
    agreed_payment_date: day(created + 3 + (index % 5)),
    agreed_delivery_date: day(created + 2 + (index % 7)),
    agreed_delivery_location_id: (index % dimensionSizes.location) + 1,
  };
}

function* batches(rows: number): Generator<SalesRow[]> {
  for (let start = 0; start < rows; start += batchRows) {
    yield Array.from({ length: Math.min(batchRows, rows - start) }, (_, offset) => salesRow(start + offset));
  }
}

function keyOf(rows: number, through = '2024-11-04 14:20:52.186'): string {
  return processedKey({
    kind: 'rows',
    target: table,
    generation: 1,
    source: {
      kind: 'changes',
      table: 'sales_order',
      after: null,
      through: { lastUpdated: through, id: rows },
    },
  });
}

/** Writes the same rows as COPY text, for the baseline (no value needs escaping). */
async function writeCopyText(path: string, rows: number): Promise<void> {
  const columns = tableLayout(table).columns.map((column) => column.name as keyof SalesRow);
  const out = createWriteStream(path);
  for (const batch of batches(rows)) {
    let text = '';
    for (const row of batch) text += `${columns.map((column) => row[column]).join('\t')}\n`;
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

async function prepareWarehouse(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrateWarehouse(client);
    await client.query(
      "INSERT INTO dim_date SELECT d, extract(year FROM d), extract(month FROM d), extract(day FROM d), extract(isodow FROM d), to_char(d, 'FMDay'), to_char(d, 'FMMonth'), extract(quarter FROM d) FROM generate_series('2020-01-01'::date, '2030-12-31'::date, '1 day') AS d",
    );
    const text = (name: string, id: number) => `${name} ${id}`;
    const ids = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
    const dimensions: { [T in TargetTableName]?: ProcessedRow<T>[] } = {
      dim_staff: ids(dimensionSizes.staff).map((id) => ({
        staff_id: id,
        first_name: text('First', id),
        last_name: text('Last', id),
        department_name: 'Sales',
        location: 'Manchester',
        email_address: `staff${id}@terrifictotes.com`,
      })),
      dim_counterparty: ids(dimensionSizes.counterparty).map((id) => ({
        counterparty_id: id,
        counterparty_legal_name: text('Counterparty', id),
        counterparty_legal_address_line_1: text('Street', id),
        counterparty_legal_address_line_2: null,
        counterparty_legal_district: null,
        counterparty_legal_city: 'Leeds',
        counterparty_legal_postal_code: 'LS1',
        counterparty_legal_country: 'UK',
        counterparty_legal_phone_number: '0113 000000',
      })),
      dim_currency: [
        { currency_id: 1, currency_code: 'GBP', currency_name: 'British Pound' },
        { currency_id: 2, currency_code: 'USD', currency_name: 'US Dollar' },
        { currency_id: 3, currency_code: 'EUR', currency_name: 'Euro' },
      ],
      dim_design: ids(dimensionSizes.design).map((id) => ({
        design_id: id,
        design_name: text('Design', id),
        file_location: '/usr',
        file_name: `design-${id}.json`,
      })),
      dim_location: ids(dimensionSizes.location).map((id) => ({
        location_id: id,
        address_line_1: text('Street', id),
        address_line_2: null,
        district: null,
        city: 'Leeds',
        postal_code: 'LS1',
        country: 'UK',
        phone: '0113 000000',
      })),
    };
    for (const [name, rows] of Object.entries(dimensions) as [
      TargetTableName,
      ProcessedRow<TargetTableName>[],
    ][]) {
      const bytes = processedObject(name, rows);
      const versions = Object.fromEntries(
        (name === 'dim_staff'
          ? ['staff', 'department']
          : name === 'dim_counterparty'
            ? ['counterparty', 'address']
            : [name.slice(4).replace('location', 'address')]
        ).map((input) => [input, '20241104T000000000-0000000000000000']),
      );
      await loadObject(client, {
        table: name,
        key: processedKey({ kind: 'rebuild', target: name, generation: 1, versions }),
        open: async () => ({
          file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
          eTag: 'bench',
          close: async () => undefined,
        }),
      });
    }
  } finally {
    await client.end();
  }
}

/** What a child process measured. */
interface ChildResult {
  readonly load: { readonly seconds: number; readonly outcome: LoadOutcome };
  readonly again?: { readonly seconds: number; readonly outcome: LoadOutcome };
  readonly sameRowsNewKey?: { readonly seconds: number; readonly outcome: LoadOutcome };
  readonly peakRssMb: number;
  /** RSS once the modules are loaded, before the first load: the process's own floor. */
  readonly rssBeforeMb: number;
}

async function timed(load: () => Promise<LoadOutcome>) {
  const started = performance.now();
  const outcome = await load();
  return { seconds: (performance.now() - started) / 1000, outcome };
}

/** Child mode: loads the object at `path` (then again, and under a new key) and prints the result. */
async function child(url: string, path: string, rows: number, repeat: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'totes-load-bench' });
  await client.connect();
  const store = {
    bucket: 'bench',
    get: async () => ({ body: createReadStream(path), metadata: {}, eTag: 'bench' }),
  };
  const load = (key: string) => () => loadObject(client, { table, key, open: () => spoolObject(store, key) });
  try {
    const rssBeforeMb = Math.round((process.memoryUsage().rss / 1024 / 1024) * 10) / 10;
    const result: ChildResult = {
      rssBeforeMb,
      load: await timed(load(keyOf(rows))),
      ...(repeat
        ? {
            again: await timed(load(keyOf(rows))),
            sameRowsNewKey: await timed(load(keyOf(rows, '2024-11-05 00:00:00.000'))),
          }
        : {}),
      peakRssMb: peakRssMb(),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await client.end();
  }
}

function runChild(url: string, path: string, rows: number, repeat: boolean): Promise<ChildResult> {
  // The measured process runs with the loader functions' own Node options.
  return runBenchChild<ChildResult>('load', [url, path, String(rows), String(repeat)], {
    nodeOptions: stageSettings.load.nodeOptions,
  });
}

/** Runs the baseline: plain COPY of the COPY text into a fresh table without keys; returns seconds. */
async function copyBaseline(url: string, path: string, run: number): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = tableLayout(table).columns;
    const name = `copy_baseline_${run}`;
    await client.query(
      `CREATE TABLE ${name} (${columns.map((c) => `${c.name} ${c.pgType} NOT NULL`).join(', ')})`,
    );
    const started = performance.now();
    await copyFile(
      client,
      name,
      columns.map((c) => c.name),
      path,
    );
    return (performance.now() - started) / 1000;
  } finally {
    await client.end();
  }
}

/** The way both large loads went, or both ways when they differed. */
const appendOf = (...outcomes: LoadOutcome[]) =>
  [...new Set(outcomes.map((outcome) => outcome.append ?? 'none'))].join('/');
const label = (rows: number) => (rows >= 1_000_000 ? `${rows / 1_000_000}m` : `${rows / 1000}k`);
const round = (value: number, digits = 3) => Number(value.toFixed(digits));

/**
 * Usage: `pnpm bench load [--rows N]` (N rows in the large object, 1,000,000 by default). The
 * machine varies a lot between runs, so the baseline and the large load each run twice and the
 * faster run counts.
 */
export default async function loadBench(args: string[]): Promise<void> {
  if (args[0] === '--child') {
    const [, url = '', path = '', rows = '0', repeat = 'false'] = args;
    await child(url, path, Number(rows), repeat === 'true');
    return;
  }
  const rowsAt = args.indexOf('--rows');
  const sizes = { small: 100_000, large: rowsAt >= 0 ? Number(args[rowsAt + 1]) : 1_000_000 };
  const dir = await mkdtemp(join(tmpdir(), 'totes-load-bench-'));
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  const say = (message: string) => process.stderr.write(`[load bench] ${message}\n`);
  try {
    const files = {
      small: join(dir, 'small.parquet'),
      large: join(dir, 'large.parquet'),
      copyText: join(dir, 'large.copy'),
    };
    say('writing the objects and the COPY text');
    const metadata = { maxLastUpdated: '2024-11-04 14:20:52.186', rowGroupSize: batchRows };
    writeProcessedFile(files.small, table, sizes.small, batches(sizes.small), metadata);
    writeProcessedFile(files.large, table, sizes.large, batches(sizes.large), metadata);
    await writeCopyText(files.copyText, sizes.large);
    for (const name of ['baseline', 'small', 'large', 'large_again']) {
      await server.ensureDatabase(name);
      if (name !== 'baseline') await prepareWarehouse(server.url(name));
    }

    say('baseline: plain COPY of the same rows into an empty table (twice)');
    const baselineRuns = [
      await copyBaseline(server.url('baseline'), files.copyText, 1),
      await copyBaseline(server.url('baseline'), files.copyText, 2),
    ];
    say(`loading ${sizes.small} rows`);
    const small = await runChild(server.url('small'), files.small, sizes.small, false);
    say(`loading ${sizes.large} rows (twice, into two warehouses)`);
    const first = await runChild(server.url('large_again'), files.large, sizes.large, false);
    say('… then the same object again, then the same rows under a new key');
    const large = await runChild(server.url('large'), files.large, sizes.large, true);
    const check = new pg.Client({ connectionString: server.url('large') });
    await check.connect();
    const stored = Number((await check.query('SELECT count(*) AS n FROM fact_sales_order')).rows[0]?.n);
    await check.end();

    const loadRuns = [first.load.seconds, large.load.seconds];
    const peak = Math.max(first.peakRssMb, large.peakRssMb);
    const report = benchReport({
      name: 'load',
      rows: sizes.large,
      seconds: Math.min(...loadRuns),
      baseline: 'COPY fact_sales_order columns FROM STDIN (text) into an empty table without keys',
      baselineSeconds: Math.min(...baselineRuns),
      extra: {
        peak_rss_mb: peak,
        [`peak_rss_mb_${label(sizes.small)}`]: small.peakRssMb,
        [`peak_rss_mb_${label(sizes.large)}`]: peak,
        // The process that loads the large object once, as the small one is loaded (the other
        // also loads it again and under a new key).
        [`peak_rss_mb_${label(sizes.large)}_one_load`]: first.peakRssMb,
        rss_before_load_mb: large.rssBeforeMb,
        bench_process_peak_rss_mb: peakRssMb(),
        load_runs_seconds: loadRuns.map((value) => round(value)),
        baseline_runs_seconds: baselineRuns.map((value) => round(value)),
        [`seconds_${label(sizes.small)}`]: round(small.load.seconds),
        object_mb: round((await stat(files.large)).size / 1e6, 1),
        // Which way the loads went: `direct` (straight into the fact table, every natural key new)
        // or `staged` (a staging table and the anti-join).
        [`append_${label(sizes.large)}`]: appendOf(first.load.outcome, large.load.outcome),
        [`append_${label(sizes.small)}`]: small.load.outcome.append ?? null,
        rows_inserted: large.load.outcome.inserted,
        rows_in_table: stored,
        again_outcome: large.again?.outcome.outcome ?? null,
        again_rows_added: large.again?.outcome.inserted ?? null,
        again_seconds: round(large.again?.seconds ?? 0, 4),
        same_rows_new_key_rows_added: large.sameRowsNewKey?.outcome.inserted ?? null,
        same_rows_new_key_seconds: round(large.sameRowsNewKey?.seconds ?? 0),
        same_rows_new_key_append: large.sameRowsNewKey?.outcome.append ?? null,
      },
    });
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
