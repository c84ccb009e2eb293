import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  DeleteMessageCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { loadLedger, migrateWarehouse } from '@totes/loader';
import {
  deadLettersMetricOf,
  type IngestKey,
  ingestKey,
  objectsCreated,
  processedKey,
  reconcileGraceSeconds,
} from '@totes/pipeline';
import {
  createMetrics,
  type PipelineLogger,
  type StageCountedMetrics,
  s3ObjectListing,
  sqsEventQueue,
  sqsQueueDepth,
} from '@totes/runtime';
import { connectPostgres, postgresLedgerQuery } from '@totes/runtime/database';
import { emittedMetrics, useTestDatabase, useTestPipeline } from '@totes/test-harness';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createReconcileHandler } from '../src/create-reconcile-handler';

const pipeline = useTestPipeline();
const database = useTestDatabase('reconciler');
let warehouse: pg.Client;

beforeAll(async () => {
  warehouse = await connectPostgres(database.url, {
    statementTimeoutMs: 30_000,
    applicationName: 'reconciler-test',
  });
  await migrateWarehouse(warehouse);
});
afterAll(async () => {
  await warehouse?.end();
});

const batch = (id: number): IngestKey => ({
  kind: 'changes',
  table: 'sales_order',
  after: null,
  through: { lastUpdated: '2024-11-04 09:15:02.345', id },
});
const processedOf = (source: IngestKey) =>
  processedKey({ kind: 'rows', target: 'fact_sales_order', generation: 1, source });

async function store(bucket: string, key: string): Promise<void> {
  await pipeline().clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }),
  );
}

/** Every message waiting in a queue, as the keys of the objects its events announce. */
async function announcedKeys(queue: string): Promise<string[]> {
  const { clients, queueUrl } = pipeline();
  const keys: string[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl(queue), MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) return keys.sort();
    for (const message of Messages) {
      keys.push(...objectsCreated(message.Body ?? '').map((object) => `${object.bucket}/${object.key}`));
      await clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: queueUrl(queue), ReceiptHandle: message.ReceiptHandle }),
      );
    }
  }
}

function reconcilerAt(now: () => Date, real?: { metrics: StageCountedMetrics<'reconcile'> }) {
  const { clients, names, aws, queueUrl } = pipeline();
  const counted: { name: string; value: number; stage?: string }[] = [];
  const logged: string[] = [];
  const details: unknown[] = [];
  const line = (message: unknown, ...more: unknown[]) => {
    logged.push(String(message));
    details.push(...more);
  };
  const logger: PipelineLogger = { debug: line, info: line, warn: line, error: line };
  const reconcile = createReconcileHandler({
    names,
    region: aws.region,
    listing: s3ObjectListing(clients.s3),
    ledger: async () => ({ ledger: postgresLedgerQuery(warehouse), close: async () => undefined }),
    queues: sqsEventQueue(clients.sqs, queueUrl),
    depth: sqsQueueDepth(clients.sqs, queueUrl),
    logger,
    metrics: real?.metrics ?? {
      add: (name, value) => void counted.push({ name, value }),
      addForStage: (name, stage, value) => void counted.push({ name, stage, value }),
      flush: () => undefined,
    },
    now,
  });
  return { reconcile, counted, logged, details };
}

describe('the reconciler', () => {
  const consumed = batch(1);
  const untransformed = batch(2);
  const unloaded = batch(3);

  beforeAll(async () => {
    const { names } = pipeline();
    for (const source of [consumed, untransformed, unloaded])
      await store(names.ingestBucket, ingestKey(source));
    for (const source of [consumed, unloaded]) await store(names.processedBucket, processedOf(source));
    await loadLedger.record(warehouse, {
      key: processedOf(consumed),
      table: 'fact_sales_order',
      eTag: 'etag',
      outcome: 'loaded',
      inserted: 1,
      updated: 0,
      skipped: 0,
    });
  });

  it('leaves objects younger than their stage may take alone, and counts none', async () => {
    const { names } = pipeline();
    const { reconcile, counted } = reconcilerAt(() => new Date());
    expect(await reconcile()).toEqual({ requeued: {}, objects: 0, left: {} });
    // Empty DLQs: no dead_letters at all.
    expect(counted).toEqual([{ name: 'objects_requeued', value: 0 }]);
    expect(await announcedKeys(names.queue('transform', 'fact_sales_order'))).toEqual([]);
    expect(await announcedKeys(names.queue('load', 'fact_sales_order'))).toEqual([]);
  });

  it('queues again, to the stage that missed it, each object left unconsumed, and counts them', async () => {
    const { names } = pipeline();
    const later = () => new Date(Date.now() + (reconcileGraceSeconds('load') + 60) * 1000);
    const { reconcile, counted, logged } = reconcilerAt(later);
    const outcome = await reconcile();
    expect(outcome).toEqual({
      objects: 2,
      requeued: {
        [names.queue('transform', 'fact_sales_order')]: 1,
        [names.queue('load', 'fact_sales_order')]: 1,
      },
      left: {},
    });
    expect(counted).toEqual([{ name: 'objects_requeued', value: 2 }]);
    expect(logged).toContain('objects their stage had not consumed were queued again');
    // The consumed object (processed, and in the ledger) is sent to neither queue.
    expect(await announcedKeys(names.queue('transform', 'fact_sales_order'))).toEqual([
      `${names.ingestBucket}/${ingestKey(untransformed)}`,
    ]);
    expect(await announcedKeys(names.queue('load', 'fact_sales_order'))).toEqual([
      `${names.processedBucket}/${processedOf(unloaded)}`,
    ]);
  });

  it('leaves a table whose queue holds messages for this run, and one whose DLQ does to the operator', async () => {
    const { names, clients, queueUrl } = pipeline();
    const later = () => new Date(Date.now() + (reconcileGraceSeconds('load') + 60) * 1000);
    const waiting = names.queue('load', 'fact_sales_order');
    const failed = names.deadLetterQueue('transform', 'fact_sales_order');
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(waiting), MessageBody: '{}' }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(failed), MessageBody: '{}' }));
    const { reconcile, counted } = reconcilerAt(later);
    expect(await reconcile()).toEqual({
      objects: 0,
      requeued: {},
      left: { [waiting]: 'queued', [names.queue('transform', 'fact_sales_order')]: 'dead-lettered' },
    });
    expect(counted).toEqual([
      { name: 'dead_letters', stage: 'transform', value: 1 },
      { name: 'objects_requeued', value: 0 },
    ]);
  });

  it('writes no metric line when every DLQ is empty and nothing was re-queued', async () => {
    const { reconcile, logged } = reconcilerAt(() => new Date(), { metrics: createMetrics('reconcile') });
    const { names, clients, queueUrl } = pipeline();
    await clients.sqs.send(
      new PurgeQueueCommand({ QueueUrl: queueUrl(names.deadLetterQueue('transform', 'fact_sales_order')) }),
    );
    expect(await emittedMetrics(reconcile)).toEqual([]);
    expect(logged.filter((message) => message.includes('dead-letter'))).toEqual([]);
  });

  it('counts the dead letters of each stage in one metric, and logs which tables hold them', async () => {
    const { names, clients, queueUrl } = pipeline();
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl(names.deadLetterQueue('extract', 'staff')),
        MessageBody: '{"table":"staff"}',
        MessageGroupId: 'staff',
        MessageDeduplicationId: 'staff-1',
      }),
    );
    for (const table of ['dim_staff', 'fact_payment'] as const) {
      await clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl(names.deadLetterQueue('load', table)),
          MessageBody: '{}',
        }),
      );
    }
    const { reconcile, logged, details } = reconcilerAt(() => new Date(), {
      metrics: createMetrics('reconcile'),
    });
    const lines = await emittedMetrics(reconcile);
    const deadLetters = lines.filter((line) => 'dead_letters' in line);
    expect(deadLetters.map((line) => ({ stage: line.stage, count: line.dead_letters }))).toEqual([
      { stage: 'extract', count: 1 },
      { stage: 'load', count: 2 },
    ]);
    // Each line is the metric the stage's alarm reads.
    for (const line of deadLetters) {
      const reference = deadLettersMetricOf(line.stage as 'extract');
      const [directive] = (
        line._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] }
      ).CloudWatchMetrics;
      expect(directive?.Namespace).toBe(reference.namespace);
      expect(Object.fromEntries((directive?.Dimensions[0] ?? []).map((name) => [name, line[name]]))).toEqual(
        reference.dimensions,
      );
    }
    expect(logged).toContain('dead-letter queues hold messages: `totes dlq --stage <stage>` lists them');
    // The extract DLQ holds every table's requests: it is named itself.
    expect(details).toContainEqual({
      deadLetters: {
        extract: { [names.deadLetterQueue('extract', 'staff')]: 1 },
        load: { dim_staff: 1, fact_payment: 1 },
      },
    });
  });
});
