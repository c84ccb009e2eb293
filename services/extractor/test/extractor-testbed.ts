import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import {
  type ExtractorSettings,
  extractorDefaults,
  ingestCompressionOf,
  type SourceTableName,
  stageSettings,
} from '@totes/pipeline';
import {
  type ObjectStore,
  type PipelineLogger,
  type PipelineMetrics,
  retryPolicyOf,
  s3ObjectStore,
  sqsMessageVisibility,
} from '@totes/runtime';
import { cachedConnectionString } from '@totes/runtime/database';
import { readDdl } from '@totes/schema';
import {
  createTestDatabase,
  dropTestDatabase,
  type TestDatabase,
  useTestPipeline,
} from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import pg from 'pg';
import { afterAll } from 'vitest';
import { rowFormat, type ValueRendering } from '../src/copy/row-format';
import { createExtractHandler, type ExtractDeps } from '../src/create-extract-handler';
import type { Continuation, ExtractQueue } from '../src/modes/continuation';

/** One line a logger was given. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps its lines for assertions. */
export function recordingLogger(): PipelineLogger & { readonly lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: unknown, ...extra: unknown[]) => {
      lines.push({ level, message: String(message), fields: Object.assign({}, ...(extra as object[])) });
    };
  return {
    lines,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    debug: at('debug'),
  } as PipelineLogger & {
    readonly lines: LogLine[];
  };
}

/** Metrics that go nowhere (the logger carries what the tests check). */
export const quietMetrics: PipelineMetrics<'extract'> = { add() {}, flush() {} };

/** An extract queue that keeps what it was sent. */
export function recordingQueue(): ExtractQueue & { readonly sent: Continuation[] } {
  const sent: Continuation[] = [];
  return { sent, send: async (continuation) => void sent.push(continuation) };
}

/** An SQS record as Lambda's event source delivers it. */
export function sqsRecord(body: string, id = randomBytes(4).toString('hex')): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: String(Date.now()),
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:extract.fifo',
    awsRegion: 'eu-west-2',
  };
}

/** A totesys database of the test run. */
export interface Totesys {
  readonly url: string;
  /** A connection of its own (closed after the file's tests). */
  readonly client: pg.Client;
  /** A new connection, e.g. to hold a transaction open (closed after the file's tests). */
  connect(): Promise<pg.Client>;
}

/** Sessions of a table's extractor still open on a totesys, once closing ones have had a moment to go. */
export async function extractorSessions(totesys: Totesys, table: SourceTableName): Promise<number> {
  for (let attempt = 0; ; attempt += 1) {
    const { rows } = await totesys.client.query<{ sessions: number }>(
      'SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [`extract-${table}`],
    );
    const sessions = rows[0]?.sessions ?? 0;
    if (sessions === 0 || attempt === 20) return sessions;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The JSON Lines text of an ingest object. The extractor writes every object compressed, zstd by
 * default (`.jsonl.zst`) or gzip (`.jsonl.gz`); a body that its key's codec cannot read fails here.
 */
export async function objectText(store: ObjectStore, key: string): Promise<string> {
  const body = await buffer((await store.get(key)).body);
  const compression = ingestCompressionOf(key);
  if (!compression) throw new Error(`${key} is not named as a compressed object`);
  return (compression === 'zstd' ? zstdDecompressSync(body) : gunzipSync(body)).toString('utf8');
}

/** Reads the JSON Lines rows of an object. */
export async function rowsOf(store: ObjectStore, key: string): Promise<Record<string, unknown>[]> {
  const body = await objectText(store, key);
  return body
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Waits `ms` milliseconds. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sales_order ids the incremental runs extracted into a bucket: the first extraction's
 * objects, then the change objects, each in key order.
 */
export async function extractedSalesOrderIds(store: ObjectStore): Promise<number[]> {
  const keys = [
    ...(await keysOf(store, 'sales_order/initial/')),
    ...(await keysOf(store, 'sales_order/changes/')),
  ];
  const rows = (await Promise.all(keys.map((key) => rowsOf(store, key)))).flat();
  return rows.map((row) => Number(row.sales_order_id));
}

/** Every sales_order id of a totesys, ascending. */
export async function salesOrderIds(totesys: Totesys): Promise<number[]> {
  const { rows } = await totesys.client.query<{ id: number }>(
    'SELECT sales_order_id AS id FROM sales_order ORDER BY 1',
  );
  return rows.map((row) => row.id);
}

/** Keys under a prefix, in order. */
export async function keysOf(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) keys.push(object.key);
  return keys;
}

const renderedBy: Readonly<Record<ValueRendering, (column: string) => string>> = {
  number: (column) => column,
  boolean: (column) => column,
  decimal: (column) => `${column}::text`,
  date: (column) => `${column}::text`,
  timestamp3: (column) => `to_char(${column}, 'YYYY-MM-DD HH24:MI:SS.MS')`,
  text: (column) => `${column}::text`,
};

/**
 * Every row of a table, by key, as PostgreSQL itself renders the row schemas' representation
 * (`to_char`, `::text`, `row_to_json`): an oracle built apart from the extractor's own rendering.
 */
export async function sourceRows(
  client: pg.Client,
  table: SourceTableName,
): Promise<Record<string, unknown>[]> {
  const format = rowFormat(table);
  const columns = format.columns.map(
    (column) =>
      `${renderedBy[column.rendering](pg.escapeIdentifier(column.name))} AS ${pg.escapeIdentifier(column.name)}`,
  );
  const key = pg.escapeIdentifier(format.columns[format.keyIndex]?.name ?? '');
  const { rows } = await client.query<{ row: Record<string, unknown> }>(
    `SELECT row_to_json(t) AS row FROM (SELECT ${columns.join(', ')} FROM ${pg.escapeIdentifier(table)} ORDER BY ${key}) t`,
  );
  return rows.map(({ row }) => row);
}

/**
 * The extractor's world for a test file: totesys databases on the run's PostgreSQL, and a fresh
 * bucket per test on the run's AWS emulator, so that tests share nothing.
 */
export function useExtractorTestbed() {
  const pipeline = useTestPipeline();
  const databases: TestDatabase[] = [];
  const clients: pg.Client[] = [];
  afterAll(async () => {
    for (const client of clients) await client.end().catch(() => undefined);
    for (const database of databases) await dropTestDatabase(database);
  });

  async function connect(url: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  return {
    pipeline,

    /** A new totesys: seeded by the simulator at `scale`, or with empty tables. */
    async totesys(options: { readonly scale?: number; readonly seed?: number } = {}): Promise<Totesys> {
      const database = await createTestDatabase('totesys');
      databases.push(database);
      if (options.scale) await seedTotesys(database.url, { scale: options.scale, seed: options.seed ?? 1 });
      const client = await connect(database.url);
      if (!options.scale) await client.query(await readDdl('totesys'));
      return { url: database.url, client, connect: () => connect(database.url) };
    },

    /** An empty bucket of its own on the emulator. */
    async bucket(): Promise<ObjectStore> {
      const { s3 } = pipeline().clients;
      const name = `extract-${randomBytes(6).toString('hex')}`;
      await s3.send(new CreateBucketCommand({ Bucket: name }));
      return s3ObjectStore(s3, name);
    },

    /** The handler of a table's extractor against a totesys and a bucket; tests tune the rest. */
    handler(
      totesys: Totesys,
      store: ObjectStore,
      settings: Partial<ExtractorSettings> & { readonly table: SourceTableName },
      deps: Partial<ExtractDeps> = {},
    ) {
      const handler = createExtractHandler(
        { ...extractorDefaults, commitMarginMs: 1, ...settings },
        {
          totesys: cachedConnectionString(async () => totesys.url),
          store,
          queue: recordingQueue(),
          logger: recordingLogger(),
          metrics: quietMetrics,
          retry: {
            policy: retryPolicyOf(stageSettings.extract),
            visibility: sqsMessageVisibility(pipeline().clients.sqs),
          },
          ...deps,
        },
      );
      const run = (...bodies: readonly (string | object)[]): Promise<SQSBatchResponse> => {
        const event: SQSEvent = {
          Records: bodies.map((body) => sqsRecord(typeof body === 'string' ? body : JSON.stringify(body))),
        };
        return handler(event, {} as never);
      };
      // Called with message bodies, it delivers them as one batch; `lambda` is the handler itself.
      return Object.assign(run, { lambda: handler });
    },
  };
}
