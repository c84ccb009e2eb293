import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { startLocalStack } from '@totes/local';
import { inputPrefixes, s3Event, type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import {
  createTestDatabase,
  dropTestDatabase,
  type TestDatabase,
  useTestDatabase,
} from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { query } from '../e2e/warehouse-queries';
import {
  differences,
  type Ended,
  inTransaction,
  killAllStarted,
  runTotesProcess,
  startTotes,
  when,
} from './chaos-stack';

/** A warehouse and a data directory of their own, for one scenario. */
interface Run {
  readonly warehouse: TestDatabase;
  readonly dataDir: string;
}

describe('the pipeline killed at any moment, then synced again', { timeout: 120_000 }, () => {
  const totesys = useTestDatabase('chaos_src');
  const runs: Run[] = [];

  async function freshRun(): Promise<Run> {
    const run = {
      warehouse: await createTestDatabase('chaos_wh'),
      dataDir: await mkdtemp(join(tmpdir(), 'totes-chaos-')),
    };
    runs.push(run);
    return run;
  }

  const env = (run: Run, extra: NodeJS.ProcessEnv = {}) => ({
    TOTESYS_URL: totesys.url,
    WAREHOUSE_URL: run.warehouse.url,
    ...extra,
  });
  const syncArgs = (run: Run) => ['sync', '--data-dir', run.dataDir, '--json'];

  /**
   * A sync with nothing injected must finish clean, `totes verify` must find nothing to report
   * (bookkeeping, DLQs and data), and the warehouse must equal what the spec's rules make of the
   * source (computed by SQL, independently of the pipeline's own mappings).
   */
  async function expectHealed(run: Run): Promise<void> {
    const ended = await runTotesProcess(syncArgs(run), env(run));
    expect(ended.stderr).not.toMatch(/totes: /);
    expect(ended.code, ended.stderr).toBe(0);
    expect(JSON.parse(ended.stdout).deadLetters).toEqual([]);
    const verified = await runTotesProcess(['verify', '--data-dir', run.dataDir, '--json'], env(run));
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout).clean).toBe(true);
    expect(await differences(totesys.url, run.warehouse.url)).toEqual([]);
  }

  const expectKilled = (ended: Ended) => expect(ended.signal, ended.stderr).toBe('SIGKILL');

  beforeAll(async () => {
    await seedTotesys(totesys.url, { scale: 0.05, seed: 23 });
  });
  afterAll(async () => {
    killAllStarted();
    for (const run of runs) {
      await dropTestDatabase(run.warehouse);
      await rm(run.dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['after an ingest object is written, before its event is published', 'before-publish:sales_order/'],
    ['after a processed object is written, before its event is published', 'before-publish:fact_payment/'],
    [
      'after a transform wrote its object, before its message is deleted',
      'before-delete:transform-dim_staff',
    ],
    ['after a load committed, before its message is deleted', 'before-delete:load-fact_sales_order'],
  ])('loses nothing when killed %s', async (_, point) => {
    const run = await freshRun();
    const crashed = await runTotesProcess(syncArgs(run), env(run, { TOTES_CRASH_AT: point }));
    expectKilled(crashed);
    await expectHealed(run);
  });

  it('loses nothing when killed inside a load transaction', async () => {
    const run = await freshRun();
    await withClient(run.warehouse.url, async (client) => {
      // The star schema and the loader's bookkeeping, as the sync would create them.
      for (const ddl of ['../../packages/schema/sql/warehouse.sql', '../../services/loader/sql/etl.sql']) {
        await client.query(await readFile(new URL(ddl, import.meta.url), 'utf8'));
      }
      // Holding the table makes the loader wait inside its transaction, where it is killed.
      await client.query('BEGIN');
      await client.query('LOCK TABLE fact_sales_order IN ACCESS EXCLUSIVE MODE');
      const sync = startTotes(syncArgs(run), env(run));
      const waiting = await when(() => waitingOnLock(run.warehouse.url, 'totes-load-fact_sales_order'), 60);
      sync.killTree();
      await client.query('ROLLBACK');
      expect(waiting, (await sync.ended).stderr).toBe(true);
      expectKilled(await sync.ended);
    });
    await expectHealed(run);
  });

  it('loses nothing when killed in the middle of an extraction', async () => {
    const run = await freshRun();
    await withClient(totesys.url, async (client) => {
      await client.query('BEGIN');
      await client.query('LOCK TABLE payment IN ACCESS EXCLUSIVE MODE');
      const sync = startTotes(syncArgs(run), env(run));
      const waiting = await when(() => waitingOnLock(totesys.url, 'extract-payment'), 60);
      sync.killTree();
      await client.query('ROLLBACK');
      expect(waiting).toBe(true);
      expectKilled(await sync.ended);
    });
    await expectHealed(run);
  });

  it('loses nothing when killed at random moments, several times in a row', async () => {
    const run = await freshRun();
    // A fixed seed: the moments are the same on every run, and a failure can be replayed.
    let seed = 20261207;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let kill = 0; kill < 3; kill += 1) {
      const sync = startTotes(syncArgs(run), env(run));
      await new Promise((resolve) => setTimeout(resolve, 1_500 + random() * 4_000));
      sync.killTree();
      await sync.ended;
    }
    await expectHealed(run);
  });

  it('refuses a second sync on the same data directory while one runs, naming it, and both end well', async () => {
    const run = await freshRun();
    const first = startTotes(syncArgs(run), env(run));
    expect(
      await when(async () => (await readFile(join(run.dataDir, 'totes.lock'), 'utf8')).length > 0, 30),
    ).toBe(true);
    const second = await runTotesProcess(syncArgs(run), env(run));
    expect(second.code).toBe(1);
    expect(second.stdout + second.stderr).toMatch(/totes sync/);
    expect(second.stdout + second.stderr).toContain(String(first.child.pid));
    const ended = await first.ended;
    expect(ended.code, ended.stderr).toBe(0);
    await expectHealed(run);
  });

  it('loses nothing through a warehouse outage longer than the retry budget: its dead letters redriven', async () => {
    const run = await freshRun();
    const sync = startTotes(syncArgs(run), env(run));
    expect(await when(() => inTransaction(run.warehouse.url, 'totes-load-'), 60)).toBe(true);
    await setConnections(run.warehouse.name, false);
    let ended: Ended;
    try {
      // The loads fail, back off and, after their last receive, move to their DLQs.
      expect(await when(() => loadsDeadLettered(run.dataDir), 120)).toBe(true);
    } finally {
      await setConnections(run.warehouse.name, true);
      ended = await sync.ended;
    }
    expect(ended.code).toBe(1);
    expect(JSON.parse(ended.stdout).deadLetters.length).toBeGreaterThan(0);
    const redriven = await runTotesProcess(['dlq', 'redrive', '--data-dir', run.dataDir, '--json'], env(run));
    expect(redriven.code, redriven.stderr).toBe(0);
    await expectHealed(run);
  });

  it('keeps one row per version when every object is delivered again, twice, in reverse order', async () => {
    const run = await freshRun();
    await expectHealed(run);
    const before = await tableCounts(run.warehouse.url);
    const stack = await startLocalStack({
      dataDir: run.dataDir,
      totesysUrl: totesys.url,
      warehouseUrl: run.warehouse.url,
    });
    try {
      for (const queue of stack.resources.queues.filter((q) => q.stage !== 'extract')) {
        const transform = queue.stage === 'transform';
        const bucket = transform ? stack.names.ingestBucket : stack.names.processedBucket;
        const prefixes = transform ? inputPrefixes(queue.table as TargetTableName) : [`${queue.table}/`];
        const keys: string[] = [];
        for (const prefix of prefixes)
          for await (const key of listKeys(stack, bucket, prefix)) keys.push(key);
        for (const key of [...keys.reverse(), ...keys]) {
          const event = s3Event({
            bucket,
            key,
            size: 1,
            eTag: '"0"',
            region: stack.region,
            eventTime: new Date(),
            sequencer: '0',
            eventName: 'ObjectCreated:Put',
          });
          await stack.clients.sqs.send(
            new SendMessageCommand({ QueueUrl: stack.queueUrl(queue.name), MessageBody: snsWrapped(event) }),
          );
        }
      }
    } finally {
      await stack.stop();
    }
    await expectHealed(run);
    expect(await tableCounts(run.warehouse.url)).toEqual(before);
  });
});

/** Lets no session into a database (and ends those in it), or lets them in again. */
async function setConnections(database: string, allowed: boolean): Promise<void> {
  await withClient(inject('postgresAdminUrl'), async (admin) => {
    await admin.query(`ALTER DATABASE ${pg.escapeIdentifier(database)} ALLOW_CONNECTIONS ${allowed}`);
    if (!allowed) {
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [database],
      );
    }
  });
}

/** Whether, on the stack of `dataDir`, no load is queued or running and some load is dead-lettered. */
async function loadsDeadLettered(dataDir: string): Promise<boolean> {
  const { awsPort } = JSON.parse(await readFile(join(dataDir, 'stack.json'), 'utf8')) as { awsPort: number };
  const response = await fetch(`http://127.0.0.1:${awsPort}/_fauxqs/queues`);
  const queues = (await response.json()) as {
    name: string;
    approximateMessageCount: number;
    approximateInflightCount: number;
    approximateDelayedCount: number;
  }[];
  const held = (q: (typeof queues)[number]) =>
    q.approximateMessageCount + q.approximateInflightCount + q.approximateDelayedCount;
  const loads = queues.filter((q) => q.name.includes('-load-'));
  const waiting = loads.filter((q) => !q.name.endsWith('-dlq')).some((q) => held(q) > 0);
  const dead = loads.filter((q) => q.name.endsWith('-dlq')).some((q) => held(q) > 0);
  return !waiting && dead;
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether a session of `application` waits for a lock on `url`. */
async function waitingOnLock(url: string, application: string): Promise<boolean> {
  const rows = await query(
    url,
    `SELECT 1 FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'`,
    [application],
  );
  return rows.length > 0;
}

async function tableCounts(url: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of warehouseTableNames) {
    const [row] = await query<{ n: number }>(
      url,
      `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(table)}`,
    );
    counts[table] = row?.n ?? -1;
  }
  return counts;
}

async function* listKeys(
  stack: Awaited<ReturnType<typeof startLocalStack>>,
  bucket: string,
  prefix: string,
): AsyncIterable<string> {
  const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
  let token: string | undefined;
  do {
    const page = await stack.clients.s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key && !object.Key.startsWith('_state/')) yield object.Key;
    }
    token = page.NextContinuationToken;
  } while (token);
}

/** An S3 event as SNS delivers it to a subscribed queue. */
function snsWrapped(event: unknown): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: crypto.randomUUID(),
    TopicArn: 'arn:aws:sns:eu-west-2:000000000000:redelivery',
    Subject: 'Amazon S3 Notification',
    Message: JSON.stringify(event),
    Timestamp: new Date().toISOString(),
  });
}
