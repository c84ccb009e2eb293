import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localStackSettings } from '@totes/local';
import { insertSalesOrder, seedTotesys, settlePayments } from '@totes/totesys-sim';
import pg from 'pg';
import { startPipeline } from '../../packages/cli/src/stack/running-pipeline';
import { peakRssMb } from './bench-report';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

/**
 * Freshness on the local stack under live traffic: for each of `--changes N` (default 240)
 * committed changes (new orders, and settlements of earlier ones), the time from its COMMIT in
 * totesys to its row being visible in the warehouse, polled every 50 ms. The baseline is the
 * original implementation's 20-minute schedule, whose mean wait is 10 minutes.
 */
export default async function freshnessBench(args: string[]): Promise<void> {
  const changes = Number(args[args.indexOf('--changes') + 1] ?? 240) || 240;
  const perSecond = 4;
  const dataDir = await mkdtemp(join(tmpdir(), 'totes-bench-freshness-'));
  const pipeline = await startPipeline({
    dataDir,
    schedule: true,
    command: 'up',
    seedsEmbeddedTotesys: true,
  });
  const totesys = new pg.Client({ connectionString: pipeline.stack.totesysUrl });
  const warehouse = new pg.Client({ connectionString: pipeline.stack.warehouseUrl });
  try {
    await totesys.connect();
    await warehouse.connect();
    process.stderr.write('seeding totesys (scale factor 1) and waiting for the initial load…\n');
    await seedTotesys(pipeline.stack.totesysUrl, { scale: 1, seed: 1 });
    const last = (await totesys.query('SELECT max(sales_order_id) AS id FROM sales_order')).rows[0]?.id;
    for (;;) {
      const found = await warehouse
        .query('SELECT 1 FROM fact_sales_order WHERE sales_order_id = $1', [last])
        .catch(() => ({ rowCount: 0 }));
      if (found.rowCount) break;
      await sleep(500);
    }
    await sleep(3000);

    process.stderr.write(`committing ${changes} changes at ${perSecond} a second…\n`);
    // A change is [kind, natural id, what makes it visible]: a new order's fact row, or a settled payment's new version.
    const committedAt = new Map<string, number>();
    const visibleAfter = new Map<string, number>();
    const pendingPayments: number[] = [];
    const started = performance.now();
    let polling = true;
    const poller = (async () => {
      while (polling || visibleAfter.size < committedAt.size) {
        const waiting = [...committedAt.keys()].filter((key) => !visibleAfter.has(key));
        const orders = waiting.filter((key) => key.startsWith('o')).map((key) => Number(key.slice(1)));
        const payments = waiting.filter((key) => key.startsWith('p')).map((key) => Number(key.slice(1)));
        const now = performance.now();
        if (orders.length > 0) {
          const { rows } = await warehouse.query(
            'SELECT DISTINCT sales_order_id AS id FROM fact_sales_order WHERE sales_order_id = ANY($1)',
            [orders],
          );
          for (const row of rows)
            visibleAfter.set(`o${row.id}`, now - (committedAt.get(`o${row.id}`) ?? now));
        }
        if (payments.length > 0) {
          const { rows } = await warehouse.query(
            'SELECT DISTINCT payment_id AS id FROM fact_payment WHERE payment_id = ANY($1) AND paid',
            [payments],
          );
          for (const row of rows)
            visibleAfter.set(`p${row.id}`, now - (committedAt.get(`p${row.id}`) ?? now));
        }
        if (performance.now() - started > (changes / perSecond + 120) * 1000) break;
        await sleep(50);
      }
    })();
    for (let i = 0; i < changes; i += 1) {
      if (i % 4 === 3 && pendingPayments.length > 0) {
        const paymentId = pendingPayments.shift() as number;
        await settlePayments(totesys, { paymentIds: [paymentId] });
        committedAt.set(`p${paymentId}`, performance.now());
      } else {
        const order = await insertSalesOrder(totesys);
        committedAt.set(`o${order.orderId}`, performance.now());
        pendingPayments.push(order.paymentId);
      }
      if (i % 20 === 19) process.stderr.write(`  ${i + 1} changes committed, ${visibleAfter.size} visible\n`);
      await sleep(1000 / perSecond);
    }
    polling = false;
    await poller;
    const seconds = (performance.now() - started) / 1000;
    const latencies = [...visibleAfter.values()].sort((a, b) => a - b);
    const p50 = percentile(latencies, 50);
    const baselineMeanMs = 600_000;
    process.stdout.write(
      `${JSON.stringify({
        name: 'freshness',
        rows: committedAt.size,
        seconds: Number(seconds.toFixed(3)),
        rows_per_s: Number((committedAt.size / seconds).toFixed(2)),
        baseline:
          'a 20-minute batch schedule (the original implementation): a change waits 10 minutes on average',
        baseline_rows_per_s: Number((committedAt.size / seconds).toFixed(2)),
        ratio: Number((baselineMeanMs / p50).toFixed(1)),
        peak_rss_mb: peakRssMb(),
        visible: latencies.length,
        never_visible: committedAt.size - latencies.length,
        p50_ms: Math.round(p50),
        p90_ms: Math.round(percentile(latencies, 90)),
        p99_ms: Math.round(percentile(latencies, 99)),
        max_ms: Math.round(latencies.at(-1) ?? Number.NaN),
        min_ms: Math.round(latencies[0] ?? Number.NaN),
        incremental_every_s: localStackSettings.incrementalSeconds,
      })}\n`,
    );
  } finally {
    await totesys.end().catch(() => undefined);
    await warehouse.end().catch(() => undefined);
    await pipeline.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
