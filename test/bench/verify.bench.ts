import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { runBenchChild } from './bench-child';
import type { ChildResult } from './verify-side';

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
const local = { accessKeyId: 'local', secretAccessKey: 'local' };
// Each side runs with the V8 options it runs with for real: the extractor's function settings,
// and the `totes` command's (packages/cli/bin/totes.mjs).
const verifyNodeOptions = ['--max-semi-space-size=16'];

/**
 * Leaves a freshly loaded database as a long-running one is (see extract.bench.ts): rows frozen
 * and pages all-visible, statistics current, dirty pages written out, so that no autovacuum,
 * checkpoint or hint-bit write lands in a measured run.
 */
async function settle(url: string): Promise<void> {
  const { default: pg } = await import('pg');
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
  const { DeleteBucketCommand, DeleteObjectsCommand, paginateListObjectsV2 } = await import(
    '@aws-sdk/client-s3'
  );
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
  const { startPipeline } = await import('../../packages/cli/src/stack/running-pipeline');
  const { seedTotesys } = await import('@totes/totesys-sim');
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
    // Each side imports only its own modules (see verify-side.ts).
    const result =
      side === 'verify'
        ? await (await import('./verify-side')).verifyChild(
            rest[0] as string,
            rest[1] as string,
            rest[2] as string,
          )
        : await (await import('./full-extraction-side')).extractChild(rest[0] as string, extractBucket);
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
    const { CreateBucketCommand, S3Client } = await import('@aws-sdk/client-s3');
    const { startLocalStack } = await import('@totes/local');
    const { stageSettings } = await import('@totes/pipeline');
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
          await runBenchChild<ChildResult>(
            'verify',
            ['verify', stack.totesysUrl, stack.warehouseUrl, stack.awsEndpoint],
            { nodeOptions: verifyNodeOptions },
          ),
        );
      };
      const runExtract = async () => {
        await dropBucket(s3);
        await s3.send(new CreateBucketCommand({ Bucket: extractBucket }));
        try {
          extractRuns.push(
            await runBenchChild<ChildResult>('verify', ['extract', stack.totesysUrl], {
              nodeOptions: stageSettings.extract.nodeOptions,
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
