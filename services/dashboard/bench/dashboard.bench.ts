// `pnpm bench dashboard [scale…]`: for each scale factor (10 by default; e.g. `10 100`), fills a
// fresh warehouse with the analytics fixture at that size (scale factor 1 ≈ 11,000 sales orders,
// 4,600 purchase orders, 15,600 payments, some of each with a second version), serves the
// dashboard on it through its read-only role, and times every data request (each panel's
// `/api/panels/<id>`, for the whole period and for one currency and year, and `/api/health`)
// and a full load of every page in headless Chromium (navigation to the load event, 20 rounds
// over every page in turn), with where a page's time went: the server (its queries and its
// rendering, from `Server-Timing`) and the browser (last byte to the load event). Reports p50/p95
// in milliseconds against the targets: p95 ≤ 200 ms (SF10) / 1 s (SF100) per request, page
// load ≤ 2 s.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateWarehouse } from '@totes/loader';
import { startEmbeddedPostgres } from '@totes/local';
import pg from 'pg';
import { peakRssMb } from '../../../test/bench/bench-report';
import {
  businessPages,
  dashboardReaderUrl,
  panels,
  prepareDashboardReader,
  startDashboardServer,
} from '../src/index';
import { launchBrowser } from '../test/launch-browser';

const salesOrdersPerScale = 11_000;
const requestRounds = 15;
const pageRounds = 20;
const fixture = new URL('../../../packages/schema/test/fixtures/analytics-warehouse.sql', import.meta.url);
const say = (message: string) => process.stderr.write(`[dashboard bench] ${message}\n`);

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number((sorted[Math.max(0, index)] ?? Number.NaN).toFixed(1));
};
const summary = (times: readonly number[]) => ({
  p50_ms: percentile(times, 50),
  p95_ms: percentile(times, 95),
});

/** One page load: its wall time, and where that time went, as the browser measured it. */
interface PageSample {
  /** Navigation to the load event, as the benchmark waits for it. */
  readonly load: number;
  /** Request sent → first byte: the server's work and the loopback. */
  readonly server: number;
  /** The server's own `Server-Timing`: its queries (`db`) and the HTML and charts (`render`). */
  readonly db: number;
  readonly render: number;
  /** Last byte → load event: parsing, style, layout. */
  readonly browser: number;
  readonly kilobytes: number;
  readonly elements: number;
}

type PageSummary = Readonly<Record<string, number>>;

/** Runs in the page: the Navigation Timing entry of the load, broken down. */
function navigationBreakdown(): Omit<PageSample, 'load'> {
  type Timing = {
    requestStart: number;
    responseStart: number;
    responseEnd: number;
    loadEventEnd: number;
    encodedBodySize: number;
    serverTiming: readonly { name: string; duration: number }[];
  };
  const scope = globalThis as unknown as {
    performance: { getEntriesByType(type: string): Timing[] };
    document: { getElementsByTagName(name: string): { length: number } };
  };
  const entry = scope.performance.getEntriesByType('navigation')[0] as Timing;
  // No function is declared in here: the benchmark runs under tsx, whose esbuild names functions
  // with a helper the page does not have.
  const server: Record<string, number> = {};
  for (const timing of entry.serverTiming) server[timing.name] = timing.duration;
  return {
    server: entry.responseStart - entry.requestStart,
    db: server.db ?? 0,
    render: server.render ?? 0,
    browser: entry.loadEventEnd - entry.responseEnd,
    kilobytes: entry.encodedBodySize / 1024,
    elements: scope.document.getElementsByTagName('*').length,
  };
}

/** p50 and p95 of each part of a page's loads, and its size. */
function pageSummary(samples: readonly PageSample[]): PageSummary {
  const of = (key: keyof PageSample) => samples.map((sample) => sample[key]);
  const load = summary(of('load'));
  return {
    ...load,
    server_p50_ms: percentile(of('server'), 50),
    server_p95_ms: percentile(of('server'), 95),
    db_p50_ms: percentile(of('db'), 50),
    render_p50_ms: percentile(of('render'), 50),
    browser_p50_ms: percentile(of('browser'), 50),
    browser_p95_ms: percentile(of('browser'), 95),
    kilobytes: percentile(of('kilobytes'), 50),
    elements: percentile(of('elements'), 50),
  };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Fills `url` with the fixture at `scale` and returns the counts it made. */
async function fill(url: string, scale: number): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrateWarehouse(client);
    await client.query('SELECT set_config($1, $2, false)', [
      'fixture.sales_orders',
      String(scale * salesOrdersPerScale),
    ]);
    await client.query(await readFile(fixture, 'utf8'));
    await client.query('VACUUM (FREEZE, ANALYZE)');
    const { rows } = await client.query<Record<string, number>>(
      `SELECT (SELECT count(*)::int FROM public.fact_sales_order) AS fact_sales_order,
              (SELECT count(*)::int FROM public.fact_purchase_order) AS fact_purchase_order,
              (SELECT count(*)::int FROM public.fact_payment) AS fact_payment`,
    );
    return rows[0] ?? {};
  } finally {
    await client.end();
  }
}

async function measureScale(scale: number, dir: string): Promise<Record<string, unknown>> {
  const server = await startEmbeddedPostgres({ dataDir: join(dir, `pg-${scale}`), persistent: false });
  try {
    const admin = new pg.Client({ connectionString: server.url('postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE warehouse');
    await admin.end();
    const url = server.url('warehouse');
    say(`SF${scale}: filling the warehouse`);
    const fillStart = performance.now();
    const rows = await fill(url, scale);
    say(`SF${scale}: ${JSON.stringify(rows)} in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
    const reader = { password: 'bench-reader-password' };
    const owner = new pg.Client({ connectionString: url });
    await owner.connect();
    const createStart = performance.now();
    await prepareDashboardReader(owner, reader);
    const createSeconds = (performance.now() - createStart) / 1000;
    const refreshStart = performance.now();
    await owner.query('SELECT analytics.refresh()');
    const refreshSeconds = (performance.now() - refreshStart) / 1000;
    await owner.end();
    say(
      `SF${scale}: analytics views created in ${createSeconds.toFixed(1)} s, refreshed in ${refreshSeconds.toFixed(1)} s`,
    );
    const dashboard = await startDashboardServer({ warehouseUrl: dashboardReaderUrl(url, reader) });
    try {
      const requests: Record<string, { p50_ms: number; p95_ms: number }> = {};
      const paths = [
        ...Object.keys(panels).flatMap((id) => [
          `/api/panels/${id}`,
          `/api/panels/${id}?from=2023-01&to=2023-12&currency=GBP`,
        ]),
        '/api/health',
      ];
      for (const path of paths) {
        const get = () =>
          fetch(`${dashboard.url}${path}`).then(async (response) => {
            if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
            return response.json();
          });
        await get();
        const times: number[] = [];
        for (let round = 0; round < requestRounds; round += 1) times.push(await timed(get));
        requests[path] = summary(times);
      }
      say(`SF${scale}: data requests timed`);
      const browser = await launchBrowser();
      const pages: Record<string, PageSummary> = {};
      try {
        const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
        const paths = [...businessPages.map((entry) => entry.path), '/health'];
        for (const path of paths) await page.goto(`${dashboard.url}${path}`);
        // Round-robin over the pages, so a burst of load on the shared machine falls on every
        // page alike rather than on one page's consecutive loads.
        const samples = new Map<string, PageSample[]>(paths.map((path) => [path, []]));
        for (let round = 0; round < pageRounds; round += 1) {
          for (const path of paths) {
            const load = await timed(() => page.goto(`${dashboard.url}${path}`, { waitUntil: 'load' }));
            samples.get(path)?.push({ load, ...(await page.evaluate(navigationBreakdown)) });
          }
        }
        for (const [path, entries] of samples) pages[path] = pageSummary(entries);
      } finally {
        await browser.close();
      }
      const requestP95 = Math.max(...Object.values(requests).map((entry) => entry.p95_ms));
      const pageP95 = Math.max(...Object.values(pages).map((entry) => entry.p95_ms ?? Number.NaN));
      const target = scale <= 10 ? 200 : 1000;
      return {
        rows,
        analytics_create_seconds: Number(createSeconds.toFixed(2)),
        analytics_refresh_seconds: Number(refreshSeconds.toFixed(2)),
        requests,
        pages,
        worst_request_p95_ms: requestP95,
        worst_page_p95_ms: pageP95,
        request_target_ms: target,
        page_target_ms: 2000,
        within_targets: requestP95 <= target && pageP95 <= 2000,
        // The machine is shared: its load average (1 minute) when the pages were timed.
        load_average: Number((loadavg()[0] ?? 0).toFixed(1)),
      };
    } finally {
      await dashboard.close();
    }
  } finally {
    await server.stop();
  }
}

export default async function main(args: string[]): Promise<void> {
  const scales = args.length > 0 ? args.map(Number).filter((n) => Number.isFinite(n) && n > 0) : [10];
  const dir = await mkdtemp(join(tmpdir(), 'totes-bench-dashboard-'));
  try {
    const results: Record<string, unknown> = {};
    for (const scale of scales) results[`sf${scale}`] = await measureScale(scale, dir);
    process.stdout.write(`${JSON.stringify({ name: 'dashboard', ...results, peak_rss_mb: peakRssMb() })}\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
