import { fileURLToPath, pathToFileURL } from 'node:url';

// `npm run bench -- <name>` / `pnpm bench <name>`: runs one benchmark; its last stdout line is
// one JSON object (see bench-report.ts). Benchmarks are not tests: they measure, never assert.

/** A benchmark: a module whose default export runs it and prints its JSON line last. */
type Benchmark = {
  readonly description: string;
  readonly load: () => Promise<{ default: (args: string[]) => Promise<void> }>;
};

// A service's benchmark measures its internals, so it lives in the service (`services/<name>/bench`)
// and is found by its path, as vitest finds tests, not imported from outside the service.
const root = fileURLToPath(new URL('../../', import.meta.url));
const serviceBench = (path: string) => () => import(pathToFileURL(`${root}${path}`).href);

const benchmarks: Readonly<Record<string, Benchmark>> = {
  backfill: {
    description: 'cold totes sync of totesys at scale 10 (--scale N) vs binary COPY psql → psql',
    load: () => import('./backfill.bench'),
  },
  freshness: {
    description: 'local stack under live traffic: commit in totesys → visible in the warehouse (p50/p99/max)',
    load: () => import('./freshness.bench'),
  },
  seed: {
    description: 'totesys-sim bulk load vs binary COPY of the same rows, database to database',
    load: () => import('./seed.bench'),
  },
  transform: {
    description: 'JSON Lines → Parquet vs DuckDB COPY',
    load: serviceBench('services/transformer/bench/transform.bench.ts'),
  },
  extract: {
    description: 'extractor: sales_order to the emulator vs COPY TO STDOUT',
    load: serviceBench('services/extractor/bench/extract.bench.ts'),
  },
  load: {
    description: 'loader: 1M fact rows from Parquet vs plain COPY FROM STDIN',
    load: serviceBench('services/loader/bench/load.bench.ts'),
  },
  dashboard: {
    description:
      'dashboard: p50/p95 of every data request and page load at SF10 (and more: `dashboard 10 100`)',
    load: serviceBench('services/dashboard/bench/dashboard.bench.ts'),
  },
  verify: {
    description: 'totes verify of a synced SF10 warehouse vs a full extraction of every table',
    load: () => import('./verify.bench'),
  },
};

const [name, ...args] = process.argv.slice(2);
const benchmark = name ? benchmarks[name] : undefined;
if (!benchmark) {
  const list = Object.entries(benchmarks).map(([key, value]) => `  ${key.padEnd(12)} ${value.description}`);
  process.stderr.write(
    `${name ? `no benchmark named "${name}"` : 'name a benchmark'}; available:\n${list.join('\n')}\n`,
  );
  process.exitCode = 2;
} else {
  const module = await benchmark.load();
  await module.default(args);
}
