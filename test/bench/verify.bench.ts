import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { startLocalStack } from '@totes/local';
import {
  compactTimestampOf,
  findUnconsumedObjects,
  resourceNames,
  sourceTableNames,
  warehouseTableNames,
} from '@totes/pipeline';
import { postgresLedgerQuery, s3ObjectListing } from '@totes/runtime';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { startPipeline } from '../../packages/cli/src/stack/running-pipeline';
import { differs } from '../../packages/cli/src/verify/table-difference';
import { verifyData } from '../../packages/cli/src/verify/verify-data';
import { type Continuation, createExtractHandler } from '../../services/extractor/src/index';
import { runBenchChild } from './bench-child';
import { peakRssMb } from './bench-report';

// `pnpm bench verify [scale]`: seeds totesys-sim at scale factor 10 (default) into a fresh local
// stack, syncs it, then times, each in a process of its own, the verify of the whole warehouse
// (the pipeline's bookkeeping and every table against the source) and a full extraction of
// every source table into the emulator (all eleven at once, as their schedules run them), for
// the ratio. Verify must take at most twice the full extraction, in at most 256 MB.

interface ChildResult {
  readonly seconds: number;
  readonly rows: number;
  readonly peakRssMb: number;
  readonly clean?: boolean;
}

const local = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Child: verify, as `totes verify` runs it, minus the CLI's start-up. */
async function verifyChild(
  totesysUrl: string,
  warehouseUrl: string,
  awsEndpoint: string,
): Promise<ChildResult> {
  const names = resourceNames('local');
  const s3 = new S3Client({
    endpoint: awsEndpoint,
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: local,
  });
  const client = new pg.Client({ connectionString: warehouseUrl });
  await client.connect();
  const started = performance.now();
  const [unconsumed, tables] = await Promise.all([
    findUnconsumedObjects(
      { listing: s3ObjectListing(s3), ledger: postgresLedgerQuery(client) },
      { ingestBucket: names.ingestBucket, processedBucket: names.processedBucket, graceSeconds: 0 },
    ),
    verifyData({ totesysUrl, warehouseUrl }, warehouseTableNames),
  ]);
  const seconds = (performance.now() - started) / 1000;
  await client.end();
  s3.destroy();
  const clean = unconsumed.transform.length + unconsumed.load.length === 0 && !tables.some(differs);
  if (!clean) process.stderr.write(`${JSON.stringify({ unconsumed, tables: tables.filter(differs) })}\n`);
  const rows = tables.reduce((sum, table) => sum + table.expectedRows + table.warehouseRows, 0);
  return { seconds, rows, peakRssMb: peakRssMb(), clean };
}

/** Child: a full extraction of every source table into the emulator, continuations followed. */
async function extractChild(totesysUrl: string): Promise<ChildResult> {
  const names = resourceNames('local');
  const started = performance.now();
  let rows = 0;
  const requestedAt = new Date();
  await Promise.all(
    sourceTableNames.map(async (table) => {
      const pending: unknown[] = [
        { mode: 'full', table, run: compactTimestampOf(requestedAt), requestedAt: requestedAt.toISOString() },
      ];
      const handler = createExtractHandler(
        {
          table,
          ingestBucket: names.ingestBucket,
          extractQueueUrl: 'in-process',
          totesysUrl,
          forcePathStyle: true,
        },
        {
          queue: { send: async (continuation: Continuation) => void pending.push(continuation.request) },
          logger: {
            info: (_: string, fields: Record<string, unknown>) => {
              rows += Number(fields.rows ?? 0) || 0;
            },
            warn() {},
            debug() {},
            error: (message: string, fields: unknown) =>
              process.stderr.write(`${message} ${JSON.stringify(fields)}\n`),
          } as never,
          metrics: { count() {}, seconds() {}, flush() {} },
        },
      );
      for (let request = pending.shift(); request; request = pending.shift()) {
        const body = JSON.stringify(request);
        const response = await handler({ Records: [{ messageId: '1', body } as never] }, {} as never);
        if (response.batchItemFailures.length > 0) throw new Error(`the extraction of ${table} failed`);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, rows, peakRssMb: peakRssMb() };
}

export default async function verifyBench(args: string[]): Promise<void> {
  if (args[0] === '--child') {
    const [, side, ...rest] = args;
    const result =
      side === 'verify'
        ? await verifyChild(rest[0] as string, rest[1] as string, rest[2] as string)
        : await extractChild(rest[0] as string);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const scale = Number(args[0] ?? 10);
  const dataDir = await mkdtemp(join(tmpdir(), 'totes-bench-verify-'));
  try {
    const pipeline = await startPipeline({
      dataDir,
      schedule: false,
      command: 'bench verify',
      seedsEmbeddedTotesys: true,
    });
    const seeded = performance.now();
    try {
      await seedTotesys(pipeline.stack.totesysUrl, { scale, seed: 1 });
      process.stderr.write(
        `seeded scale ${scale} in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`,
      );
      const synced = performance.now();
      await pipeline.requestExtraction(['incremental']);
      await pipeline.settled({ timeoutSeconds: 3600 });
      process.stderr.write(`synced in ${((performance.now() - synced) / 1000).toFixed(1)} s\n`);
    } finally {
      await pipeline.stop();
    }
    // The stack alone, with no function running: each side runs against a quiet machine.
    const stack = await startLocalStack({ dataDir });
    try {
      const verify = await runBenchChild<ChildResult>('verify', [
        'verify',
        stack.totesysUrl,
        stack.warehouseUrl,
        stack.awsEndpoint,
      ]);
      const extract = await runBenchChild<ChildResult>('verify', ['extract', stack.totesysUrl], {
        env: {
          AWS_ENDPOINT_URL: stack.awsEndpoint,
          AWS_REGION: stack.region,
          AWS_ACCESS_KEY_ID: local.accessKeyId,
          AWS_SECRET_ACCESS_KEY: local.secretAccessKey,
        },
      });
      process.stdout.write(
        `${JSON.stringify({
          name: 'verify',
          scale,
          seconds: Number(verify.seconds.toFixed(3)),
          rows_compared: verify.rows,
          peak_rss_mb: verify.peakRssMb,
          clean: verify.clean,
          full_extraction_seconds: Number(extract.seconds.toFixed(3)),
          full_extraction_rows: extract.rows,
          ratio_to_full_extraction: Number((verify.seconds / extract.seconds).toFixed(3)),
        })}\n`,
      );
    } finally {
      await stack.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
