import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  paginateListObjectsV2,
  S3Client,
} from '@aws-sdk/client-s3';
import { startLocalStack } from '@totes/local';
import { compactTimestampOf, resourceNames, sourceTableNames, warehouseTableNames } from '@totes/pipeline';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { postgresLedgerQuery } from '../../packages/cli/src/stack/postgres-ledger-query';
import { startPipeline } from '../../packages/cli/src/stack/running-pipeline';
import { s3ObjectListing } from '../../packages/cli/src/stack/s3-object-listing';
import { findUnconsumedObjects } from '../../packages/cli/src/stack/unconsumed-objects';
import { differs } from '../../packages/cli/src/verify/table-difference';
import { verifyData } from '../../packages/cli/src/verify/verify-data';
import { type Continuation, createExtractHandler } from '../../services/extractor/src/index';
import { runBenchChild } from './bench-child';
import { peakRssMb } from './bench-report';

// `pnpm bench verify [scale] [--data-dir DIR]`: seeds totesys-sim at scale factor 10 (default)
// into a fresh local stack, syncs it, settles both databases, then times, each in a process of
// its own, the verify of the whole warehouse (the pipeline's bookkeeping and every table against
// the source) and a full extraction of every source table into the emulator (all eleven at
// once, as their schedules run them), alternately, `rounds` times each: the machine varies by
// ±15–35% between runs, so the ratio is taken between the medians. Verify must take at most
// twice the full extraction, in at most 256 MB. With `--data-dir`, a directory an earlier run
// seeded and synced at the same scale is used again (and kept); a new one is seeded into it.

const rounds = 3;
// The extractions write into a bucket of their own, emptied after each round, so that verify's
// bookkeeping check sees only what the sync left, and the emulator holds no earlier round.
const extractBucket = 'bench-verify-extraction';

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
          ingestBucket: extractBucket,
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

/**
 * Leaves a freshly loaded database as a long-running one is (see extract.bench.ts): rows frozen
 * and pages all-visible, statistics current, dirty pages written out, so that no autovacuum,
 * checkpoint or hint-bit write lands in a measured run.
 */
async function settle(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('VACUUM (FREEZE, ANALYZE)');
    await client.query('CHECKPOINT');
  } finally {
    await client.end();
  }
}

/** Empties and removes the extractions' bucket (the emulator keeps objects in memory). */
async function dropBucket(s3: S3Client): Promise<void> {
  try {
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: extractBucket })) {
      const objects = page.Contents ?? [];
      if (objects.length === 0) continue;
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: extractBucket,
          Delete: { Objects: objects.map((object) => ({ Key: object.Key })) },
        }),
      );
    }
    await s3.send(new DeleteBucketCommand({ Bucket: extractBucket }));
  } catch (error) {
    if ((error as { name?: string }).name !== 'NoSuchBucket') throw error;
  }
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
const round3 = (value: number) => Number(value.toFixed(3));

/** Seeds totesys-sim into the stack of `dataDir` and syncs the warehouse with it. */
async function seedAndSync(dataDir: string, scale: number): Promise<void> {
  const pipeline = await startPipeline({
    dataDir,
    schedule: false,
    command: 'bench verify',
    seedsEmbeddedTotesys: true,
  });
  const seeded = performance.now();
  try {
    await seedTotesys(pipeline.stack.totesysUrl, { scale, seed: 1 });
    process.stderr.write(`seeded scale ${scale} in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`);
    const synced = performance.now();
    await pipeline.requestExtraction(['incremental']);
    await pipeline.settled({ timeoutSeconds: 3600 });
    process.stderr.write(`synced in ${((performance.now() - synced) / 1000).toFixed(1)} s\n`);
  } finally {
    await pipeline.stop();
  }
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
  const dirFlag = args.indexOf('--data-dir');
  const keptDir = dirFlag >= 0 ? args[dirFlag + 1] : undefined;
  const positional = args.filter((_, index) => dirFlag < 0 || (index !== dirFlag && index !== dirFlag + 1));
  const scale = Number(positional[0] ?? 10);
  const dataDir = keptDir ?? (await mkdtemp(join(tmpdir(), 'totes-bench-verify-')));
  const syncedMark = join(dataDir, `bench-verify-synced-${scale}`);
  try {
    const synced = await access(syncedMark).then(
      () => true,
      () => false,
    );
    if (!synced) {
      await seedAndSync(dataDir, scale);
      if (keptDir) await writeFile(syncedMark, new Date().toISOString());
    }
    // The stack alone, with no function running: each side runs against a quiet machine.
    const stack = await startLocalStack({ dataDir });
    const s3 = new S3Client({
      endpoint: stack.awsEndpoint,
      region: stack.region,
      forcePathStyle: true,
      credentials: local,
    });
    try {
      await settle(stack.totesysUrl);
      await settle(stack.warehouseUrl);
      const verifyRuns: ChildResult[] = [];
      const extractRuns: ChildResult[] = [];
      const runVerify = async () => {
        verifyRuns.push(
          await runBenchChild<ChildResult>('verify', [
            'verify',
            stack.totesysUrl,
            stack.warehouseUrl,
            stack.awsEndpoint,
          ]),
        );
      };
      const runExtract = async () => {
        await dropBucket(s3);
        await s3.send(new CreateBucketCommand({ Bucket: extractBucket }));
        try {
          extractRuns.push(
            await runBenchChild<ChildResult>('verify', ['extract', stack.totesysUrl], {
              env: {
                AWS_ENDPOINT_URL: stack.awsEndpoint,
                AWS_REGION: stack.region,
                AWS_ACCESS_KEY_ID: local.accessKeyId,
                AWS_SECRET_ACCESS_KEY: local.secretAccessKey,
              },
            }),
          );
        } finally {
          await dropBucket(s3);
        }
      };
      // Alternately, each side first in every other round, so neither always follows the other.
      for (let round = 0; round < rounds; round += 1) {
        const order = round % 2 === 0 ? [runVerify, runExtract] : [runExtract, runVerify];
        for (const run of order) await run();
        process.stderr.write(
          `round ${round + 1}: verify ${verifyRuns.at(-1)?.seconds.toFixed(2)} s, full extraction ${extractRuns.at(-1)?.seconds.toFixed(2)} s\n`,
        );
      }
      const verifySeconds = verifyRuns.map((run) => run.seconds);
      const extractSeconds = extractRuns.map((run) => run.seconds);
      const verifyMedian = median(verifySeconds);
      const extractMedian = median(extractSeconds);
      process.stdout.write(
        `${JSON.stringify({
          name: 'verify',
          scale,
          rounds,
          seconds: round3(verifyMedian),
          seconds_min: round3(Math.min(...verifySeconds)),
          seconds_runs: verifySeconds.map(round3),
          rows_compared: verifyRuns[0]?.rows,
          peak_rss_mb: Math.max(...verifyRuns.map((run) => run.peakRssMb)),
          peak_rss_mb_runs: verifyRuns.map((run) => run.peakRssMb),
          clean: verifyRuns.every((run) => run.clean),
          full_extraction_seconds: round3(extractMedian),
          full_extraction_seconds_min: round3(Math.min(...extractSeconds)),
          full_extraction_seconds_runs: extractSeconds.map(round3),
          full_extraction_rows: extractRuns[0]?.rows,
          full_extraction_peak_rss_mb: Math.max(...extractRuns.map((run) => run.peakRssMb)),
          ratio_to_full_extraction: round3(verifyMedian / extractMedian),
          ratio_of_minimums: round3(Math.min(...verifySeconds) / Math.min(...extractSeconds)),
        })}\n`,
      );
    } finally {
      s3.destroy();
      await stack.stop();
    }
  } finally {
    if (!keptDir) await rm(dataDir, { recursive: true, force: true });
  }
}
