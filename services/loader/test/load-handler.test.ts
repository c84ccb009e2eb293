import { freePort } from '@totes/local';
import {
  objectsCreated,
  s3Event,
  stageSettings,
  type TargetTableName,
  warehouseTables,
} from '@totes/pipeline';
import { type RetryPolicy, s3ObjectStore, sqsMessageVisibility } from '@totes/runtime';
import { connectPostgres } from '@totes/runtime/database';
import { useTestPipeline } from '@totes/test-harness';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createLoadHandler } from '../src/create-load-handler';
import { announceObject } from './announce-object';
import { fixtureRows } from './fixture-rows';
import { loadRows } from './load-rows';
import { objectKey } from './object-key';
import { type ProcessedRow, processedObject } from './processed-object';
import { type QueueDriver, queueDriver, redrive, takeAll } from './queue-driver';
import { recordingObservers } from './recording-observers';
import { useWarehouse } from './use-warehouse';

const pipeline = useTestPipeline();
const warehouse = useWarehouse();

const maxReceiveCount = stageSettings.load.maxReceiveCount;
const dimensions = (Object.keys(warehouseTables) as TargetTableName[]).filter(
  (table) => warehouseTables[table].kind === 'dim',
);

/** Writes an object into the processed bucket and announces it (see announceObject). */
const announce = (key: string, bytes: Uint8Array) => announceObject(pipeline(), key, bytes);

function announceRows<T extends TargetTableName>(
  table: T,
  rows: readonly ProcessedRow<T>[],
  key = objectKey(table),
) {
  return announce(key, processedObject(table, rows, { maxLastUpdated: '2024-11-05 10:11:12.013' })).then(
    () => key,
  );
}

function loader(
  table: TargetTableName,
  options: {
    readonly retry?: Partial<RetryPolicy>;
    readonly connect?: () => Promise<pg.Client>;
    readonly sleep?: (ms: number) => Promise<void>;
  } = {},
) {
  const observers = recordingObservers();
  const { clients, names, aws } = pipeline();
  const handler = createLoadHandler({
    table,
    store: s3ObjectStore(clients.s3, names.processedBucket),
    connect:
      options.connect ??
      (() =>
        connectPostgres(warehouse().url, {
          statementTimeoutMs: 30_000,
          applicationName: `totes-load-${table}`,
        })),
    visibility: sqsMessageVisibility(clients.sqs),
    retry: { baseSeconds: 1, maxSeconds: 1, maxReceiveCount, ...options.retry },
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...observers,
  });
  const queue = queueDriver(
    clients.sqs,
    pipeline().queueUrl(names.queue('load', table)),
    handler,
    aws.region,
  );
  return { ...observers, queue };
}

function deadLetters(table: TargetTableName) {
  const { clients, names } = pipeline();
  return takeAll(clients.sqs, pipeline().queueUrl(names.deadLetterQueue('load', table)));
}

async function drainAll(queues: readonly QueueDriver[]): Promise<void> {
  for (const queue of queues) await queue.drain();
}

describe('the loader handler on its queue', () => {
  it('loads the objects announced on each table’s queue, and reports freshness', async () => {
    for (const table of dimensions) await announceRows(table, fixtureRows(table));
    await announceRows('fact_sales_order', fixtureRows('fact_sales_order'));
    const loaders = [...dimensions, 'fact_sales_order' as const].map((table) => loader(table));

    await drainAll(loaders.map((l) => l.queue));

    for (const table of [...dimensions, 'fact_sales_order' as const]) {
      expect(await warehouse().rows(table)).toEqual(fixtureRows(table));
      expect(await deadLetters(table)).toEqual([]);
    }
    const fact = loaders.at(-1);
    expect(fact?.values).toContainEqual({ name: 'freshness_seconds', value: expect.any(Number) });
    expect(fact?.values.find((v) => v.name === 'freshness_seconds')?.value).toBeGreaterThan(0);
  });

  it('acknowledges a notification delivered twice without loading the object twice', async () => {
    const key = await announceRows('dim_currency', fixtureRows('dim_currency'));
    await announce(key, processedObject('dim_currency', fixtureRows('dim_currency')));
    const currency = loader('dim_currency');

    await currency.queue.drain();

    expect(await warehouse().count('dim_currency')).toBe(3);
    expect(currency.lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'object loaded'],
      ['debug', 'object already-loaded'],
    ]);
  });

  it('holds a fact back with a backoff until its dimensions arrive, then loads it without a DLQ', async () => {
    for (const table of dimensions) await announceRows(table, fixtureRows(table));
    await announceRows('fact_sales_order', fixtureRows('fact_sales_order'));
    const waits: number[] = [];
    const fact = loader('fact_sales_order', { sleep: async (ms) => void waits.push(ms) });

    const first = await fact.queue.poll();
    const during = await fact.queue.poll();
    await drainAll(dimensions.map((table) => loader(table).queue));
    await fact.queue.drain();

    expect(first).toEqual({ received: 1, failed: 1 });
    // It waited in the invocation first, three times, then with its message's backoff.
    expect(waits).toEqual([150, 300, 600]);
    expect(during).toEqual({ received: 0, failed: 0 });
    const waiting = fact.lines.find((line) => line.level === 'warn');
    expect(waiting?.message).toBe('message failed');
    expect(waiting?.details).toMatchObject([{ kind: 'waiting', receiveCount: 1, retryInSeconds: 1 }]);
    expect(await warehouse().rows('fact_sales_order')).toEqual(fixtureRows('fact_sales_order'));
    expect(await deadLetters('fact_sales_order')).toEqual([]);
  });

  it('waits in the invocation for the dimension rows of a small fact object that arrive meanwhile', async () => {
    for (const table of dimensions) await announceRows(table, fixtureRows(table));
    await announceRows('fact_sales_order', fixtureRows('fact_sales_order'));
    const waits: number[] = [];
    const fact = loader('fact_sales_order', {
      // The dimensions load while the fact waits its second time.
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 2) await drainAll(dimensions.map((table) => loader(table).queue));
      },
    });

    const first = await fact.queue.poll();

    expect(first).toEqual({ received: 1, failed: 0 });
    expect(waits).toEqual([150, 300]);
    expect(fact.lines.find((line) => line.message === 'object loaded')?.details).toMatchObject([
      { waitedForDimensionsMs: 450, inserted: fixtureRows('fact_sales_order').length },
    ]);
    expect(await warehouse().rows('fact_sales_order')).toEqual(fixtureRows('fact_sales_order'));
  });

  it('sends a corrupt object to the DLQ with its reason, while the rest of its batch loads', async () => {
    const corrupt = objectKey('dim_payment_type');
    await announce(corrupt, new TextEncoder().encode('this is not Parquet'.repeat(10)));
    await announceRows('dim_payment_type', fixtureRows('dim_payment_type'));
    const paymentType = loader('dim_payment_type');

    await paymentType.queue.drain();

    expect(await warehouse().rows('dim_payment_type')).toEqual(fixtureRows('dim_payment_type'));
    const dead = await deadLetters('dim_payment_type');
    expect(dead.map((message) => objectsCreated(message.Body ?? '')[0]?.key)).toEqual([corrupt]);
    const last = paymentType.lines.find((line) => JSON.stringify(line.details).includes('"deadLetter":true'));
    expect(last?.level).toBe('error');
    expect(last?.details).toMatchObject([
      { kind: 'bad-input', receiveCount: maxReceiveCount, retryInSeconds: 0 },
    ]);
    expect(JSON.stringify(last?.details)).toContain(`${corrupt}: not a readable processed Parquet object`);
  });

  it('loses nothing when the warehouse goes away mid-batch: a DLQ redrive completes every load once', async () => {
    for (const table of dimensions) {
      await loadRows(warehouse().client, table, objectKey(table), fixtureRows(table), {
        maxLastUpdated: '2024-11-04 09:00:00.000',
      });
    }
    const [order] = fixtureRows('fact_sales_order');
    if (!order) throw new Error('fixture missing');
    const batches = [1, 2, 3].map((batch) =>
      [1, 2].map((n) => ({ ...order, sales_order_id: batch * 10 + n })),
    );
    for (const rows of batches) await announceRows('fact_sales_order', rows);

    const application = 'totes-load-outage-test';
    const unreachable = `postgresql://nobody:secret@127.0.0.1:${await freePort()}/warehouse`;
    let reachable = true;
    let appends = 0;
    const connect = async (): Promise<pg.Client> => {
      const options = { statementTimeoutMs: 30_000, applicationName: application, connectTimeoutMs: 2_000 };
      if (!reachable) return connectPostgres(unreachable, options);
      const client = await connectPostgres(warehouse().url, options);
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      // The warehouse goes away inside the second object's transaction, as its rows are appended
      // (copied straight into the fact table, or inserted from the staging table).
      client.query = ((...args: unknown[]) => {
        const [statement] = args;
        const text =
          typeof statement === 'string' ? statement : (statement as { text?: unknown } | undefined)?.text;
        const appending =
          typeof text === 'string' &&
          (text.startsWith('INSERT INTO "public"."fact') || text.startsWith('COPY "public"."fact'));
        if (appending && ++appends === 2) {
          reachable = false;
          const terminated = warehouse()
            .client.query(
              'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
              [application],
            )
            .then(() => query(...args));
          // A COPY stream is handed back at once, as pg does, and submitted once the session is gone.
          return typeof statement === 'string' ? terminated : statement;
        }
        return query(...args);
      }) as typeof client.query;
      return client;
    };
    const fact = loader('fact_sales_order', { connect, retry: { baseSeconds: 0, maxSeconds: 0 } });

    await fact.queue.drain();
    const loadedDuringOutage = await warehouse().count('fact_sales_order');
    const ledgerDuringOutage = await warehouse().count(
      "etl.load_ledger WHERE table_name = 'fact_sales_order'",
    );
    reachable = true;
    const { clients, names } = pipeline();
    const redriven = await redrive(
      clients.sqs,
      pipeline().queueUrl(names.deadLetterQueue('load', 'fact_sales_order')),
      pipeline().queueUrl(names.queue('load', 'fact_sales_order')),
    );
    await fact.queue.drain();

    expect({ loadedDuringOutage, ledgerDuringOutage, redriven }).toEqual({
      loadedDuringOutage: 2,
      ledgerDuringOutage: 1,
      redriven: 2,
    });
    const ids = await warehouse().client.query('SELECT sales_order_id FROM fact_sales_order ORDER BY 1');
    expect(ids.rows.map((row) => row.sales_order_id)).toEqual([11, 12, 21, 22, 31, 32]);
    expect(await warehouse().count("etl.load_ledger WHERE table_name = 'fact_sales_order'")).toBe(3);
    // The second object failed inside its transaction: the server ended the session. Whether the
    // loader hears it as the failing query's error or as the connection's own error event depends
    // on timing, so the log is checked for the server's words, not for one of the two paths.
    expect(JSON.stringify(fact.lines)).toContain('terminating connection due to administrator command');
    expect(JSON.stringify(fact.lines)).not.toContain('secret');
  });
});
