import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { LocalStack } from '@totes/local';
import { stageSettings, warehouseTableNames } from '@totes/pipeline';
import { useTestDatabase } from '@totes/test-harness';
import { insertSalesOrder, seedTotesys, settlePayments } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from '../../packages/cli/test/run-totes';
import { expectWarehouseToMatchSource as expectWarehouseMatches } from './expect-warehouse';
import { withStackS3 as stackS3 } from './stack-s3';
import { query } from './warehouse-queries';

describe('totes sync against databases of your own', () => {
  const totesys = useTestDatabase('e2e_sync_src');
  const warehouse = useTestDatabase('e2e_sync_wh');
  let dataDir: string;
  const sync = () =>
    runTotes(['sync', '--data-dir', dataDir, '--json'], {
      TOTESYS_URL: totesys.url,
      WAREHOUSE_URL: warehouse.url,
    });

  const expectWarehouseToMatchSource = () => expectWarehouseMatches(totesys.url, warehouse.url);
  /** The reconciler's entries in the stack's log: its dead-letter counts and what it said of them. */
  const reconcilerEntries = async () =>
    (await readFile(join(dataDir, 'logs', 'pipeline.log'), 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter(
        (entry) => entry.service === 'reconcile' && ('dead_letters' in entry || 'deadLetters' in entry),
      );

  async function tableCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of warehouseTableNames) {
      counts[table] =
        (await query<{ n: number }>(warehouse.url, `SELECT count(*)::int AS n FROM ${table}`))[0]?.n ?? -1;
    }
    return counts;
  }

  const withStackS3 = <T>(work: (s3: S3Client, stack: LocalStack) => Promise<T>) =>
    stackS3({ dataDir, totesysUrl: totesys.url, warehouseUrl: warehouse.url }, 'announced', work);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-e2e-sync-'));
    await seedTotesys(totesys.url, { scale: 0.05, seed: 11 });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads, on a first sync, a warehouse equal to what the spec’s rules make of the source', async () => {
    const run = await sync();
    expect(run.stderr).not.toMatch(/totes: /);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.deadLetters).toEqual([]);
    expect(
      result.tables.find((t: { table: string }) => t.table === 'fact_sales_order').warehouseRows,
    ).toBeGreaterThan(400);
    // The reconciliation at the end found every DLQ empty: no metric, no word of them.
    expect(await reconcilerEntries()).toEqual([]);
    await expectWarehouseToMatchSource();
  });

  it('adds nothing when synced again without a change in the source', async () => {
    const before = await tableCounts();
    const ledger = await query<{ n: number }>(
      warehouse.url,
      'SELECT count(*)::int AS n FROM etl.load_ledger',
    );
    const run = await sync();
    expect(run.code).toBe(0);
    expect(await tableCounts()).toEqual(before);
    expect(await query(warehouse.url, 'SELECT count(*)::int AS n FROM etl.load_ledger')).toEqual(ledger);
  });

  it('takes only what changed on the next sync: a new order and a settled payment', async () => {
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    let order: Awaited<ReturnType<typeof insertSalesOrder>>;
    let settled: number[];
    try {
      order = await insertSalesOrder(client);
      settled = await settlePayments(client, { paymentIds: [order.paymentId] });
    } finally {
      await client.end();
    }
    expect(settled).toEqual([order.paymentId]);
    const before = await tableCounts();
    const run = await sync();
    expect(run.code).toBe(0);
    const after = await tableCounts();
    expect(after.fact_sales_order).toBe((before.fact_sales_order ?? 0) + 1);
    expect(after.dim_transaction).toBe((before.dim_transaction ?? 0) + 1);
    // The payment was created and settled between two syncs: only its settled version was seen.
    expect(after.fact_payment).toBe((before.fact_payment ?? 0) + 1);
    await expectWarehouseToMatchSource();
  });

  it('dead-letters a poison object while everything else flows, and exits non-zero naming it', async () => {
    const poisonKey = 'sales_order/changes/00000000T000000000-0000000000_20991231T235959999-0000000001.jsonl';
    // Put the object through the stack's S3 endpoint (so its notification is queued), then sync.
    await withStackS3(async (s3, stack) => {
      await s3.send(
        new PutObjectCommand({
          Bucket: stack.names.ingestBucket,
          Key: poisonKey,
          Body: '{"sales_order_id": "oops"\n',
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    const order = await insertSalesOrder(client).finally(() => client.end());

    const run = await sync();
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout);
    expect(result.deadLetters).toEqual([
      expect.objectContaining({ queue: 'local-transform-fact_sales_order-dlq', subject: poisonKey }),
    ]);
    const loaded = await query(warehouse.url, 'SELECT 1 FROM fact_sales_order WHERE sales_order_id = $1', [
      order.orderId,
    ]);
    expect(loaded).toHaveLength(1);
    // The reconciliation at the end, as in AWS: the stage's count, and the table named in the log.
    expect(await reconcilerEntries()).toEqual([
      expect.objectContaining({ level: 'WARN', deadLetters: { transform: { fact_sales_order: 1 } } }),
      expect.objectContaining({ level: 'METRIC', stage: 'transform', dead_letters: 1 }),
    ]);
  });

  it('lists the dead letter with its attempts and error, redrives it, and purges it', async () => {
    const env = { TOTESYS_URL: totesys.url, WAREHOUSE_URL: warehouse.url };
    const list = await runTotes(['dlq', '--data-dir', dataDir, '--json'], env);
    expect(list.code).toBe(0);
    const [letter, ...others] = JSON.parse(list.stdout).deadLetters;
    expect(others).toEqual([]);
    // Every receive was a real attempt, logged with its error: none was a second worker's.
    expect(letter).toMatchObject({
      stage: 'transform',
      table: 'fact_sales_order',
      attempts: stageSettings.transform.maxReceiveCount,
    });
    expect(letter.error).toMatch(/line 1/);

    const redriven = await runTotes(
      ['dlq', 'redrive', '--data-dir', dataDir, '--table', 'fact_sales_order', '--json'],
      env,
    );
    expect(JSON.parse(redriven.stdout)).toEqual({ action: 'redrive', messages: 1 });
    // Still poison: the next sync dead-letters it again.
    expect((await sync()).code).toBe(1);

    const refused = await runTotes(['dlq', 'purge', '--data-dir', dataDir], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    const purged = await runTotes(['dlq', 'purge', '--yes', '--data-dir', dataDir, '--json'], env);
    expect(JSON.parse(purged.stdout)).toEqual({ action: 'purge', messages: 1 });
    expect((await sync()).code).toBe(0);
  });

  it('reprocesses a table from the source without doubling anything, following it to the end', async () => {
    const env = { TOTESYS_URL: totesys.url, WAREHOUSE_URL: warehouse.url };
    const before = await tableCounts();
    const ledger = await query<{ n: number }>(
      warehouse.url,
      'SELECT count(*)::int AS n FROM etl.load_ledger',
    );
    const orders = await query<{ n: number }>(totesys.url, 'SELECT count(*)::int AS n FROM sales_order');
    const asked = await runTotes(['reprocess', 'fact_sales_order', '--data-dir', dataDir, '--json'], env);
    expect(asked.code).toBe(0);
    const result = JSON.parse(asked.stdout);
    expect(result.tables).toEqual(['sales_order']);
    // With no stack running, the command ran the pipeline itself until the re-extraction was in.
    expect(result.progress).toEqual([
      { table: 'fact_sales_order', done: orders[0]?.n, expected: orders[0]?.n },
    ]);
    expect(result.deadLetterQueues).toEqual([]);
    expect(asked.stderr).toContain('reprocessing: ');
    const after = await query<{ n: number }>(warehouse.url, 'SELECT count(*)::int AS n FROM etl.load_ledger');
    // The full run wrote new objects, and the loader took them in, keeping every row once.
    expect(after[0]?.n).toBeGreaterThan(ledger[0]?.n ?? 0);
    expect(await tableCounts()).toEqual(before);
    expect((await sync()).code).toBe(0);
    expect(await tableCounts()).toEqual(before);
    await expectWarehouseToMatchSource();

    const unknown = await runTotes(['reprocess', 'customers', '--data-dir', dataDir], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('"customers" is not a source or warehouse table');
  }, 240_000);

  it('redoes a table from its stored objects: lost rows from the load stage, lost outputs from the transform stage', async () => {
    const env = { TOTESYS_URL: totesys.url, WAREHOUSE_URL: warehouse.url };
    const reprocess = (...args: string[]) =>
      runTotes(['reprocess', ...args, '--data-dir', dataDir, '--json'], env);
    const before = await tableCounts();

    // A warehouse restored from a backup older than its last loads: the payments and their ledger rows are gone.
    await query(warehouse.url, 'DELETE FROM fact_payment');
    await query(warehouse.url, "DELETE FROM etl.load_ledger WHERE table_name = 'fact_payment'");
    const reload = await reprocess('fact_payment', '--from', 'load', '--no-wait');
    expect(reload.code).toBe(0);
    expect(JSON.parse(reload.stdout)).toMatchObject({
      from: 'load',
      table: 'fact_payment',
      queue: 'local-load-fact_payment',
      objects: expect.any(Number),
    });
    expect(JSON.parse(reload.stdout).objects).toBeGreaterThan(0);
    // --no-wait only queues: the rows come back with the next sync.
    expect(JSON.parse(reload.stdout).progress).toBeUndefined();
    expect((await tableCounts()).fact_payment).toBe(0);

    // Outputs lost: every processed fact_purchase_order object deleted, and the rows loaded from them.
    const deleted = await withStackS3(async (s3, stack) => {
      const bucket = stack.names.processedBucket;
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: 'fact_purchase_order/' }),
      );
      for (const object of listed.Contents ?? []) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: object.Key }));
      }
      return listed.Contents?.length ?? 0;
    });
    expect(deleted).toBeGreaterThan(0);
    await query(warehouse.url, 'DELETE FROM fact_purchase_order');
    await query(warehouse.url, "DELETE FROM etl.load_ledger WHERE table_name = 'fact_purchase_order'");
    const retransform = await reprocess('fact_purchase_order', '--from', 'transform');
    expect(retransform.code).toBe(0);
    const retransformed = JSON.parse(retransform.stdout);
    expect(retransformed).toMatchObject({
      from: 'transform',
      queue: 'local-transform-fact_purchase_order',
    });
    // Followed to the end: every row of the re-sent objects is back, and counted once.
    const [progress] = retransformed.progress;
    expect(progress.table).toBe('fact_purchase_order');
    expect(progress.expected).toBeGreaterThanOrEqual(before.fact_purchase_order ?? 0);
    expect(progress.done).toBe(progress.expected);
    expect((await tableCounts()).fact_purchase_order).toBe(before.fact_purchase_order);

    expect((await sync()).code).toBe(0);
    expect(await tableCounts()).toEqual(before);
    await expectWarehouseToMatchSource();

    // Loading what is already loaded: every object counts as done at once, and nothing doubles.
    const reloaded = await reprocess('fact_payment', '--from', 'load');
    expect(reloaded.code, reloaded.stderr).toBe(0);
    const [payments] = JSON.parse(reloaded.stdout).progress;
    expect(payments.table).toBe('fact_payment');
    expect(payments.expected).toBeGreaterThanOrEqual(before.fact_payment ?? 0);
    expect(payments.done).toBe(payments.expected);
    expect(await tableCounts()).toEqual(before);

    const generated = await reprocess('dim_date', '--from', 'transform');
    expect(generated.code).toBe(2);
    expect(generated.stderr).toContain('use --from load');
    const wrongStage = await reprocess('fact_payment', '--from', 'loader');
    expect(wrongStage.code).toBe(2);
    expect(wrongStage.stderr).toContain('it takes extract, transform, load');
    const sourceTable = await reprocess('payment', '--from', 'load');
    expect(sourceTable.code).toBe(2);
    expect(sourceTable.stderr).toContain('is a source table');
  }, 240_000);
});
