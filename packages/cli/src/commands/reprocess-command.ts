import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { localStackSettings } from '@totes/local';
import {
  compactTimestampOf,
  type ExtractRequest,
  extractMessage,
  isSourceTableName,
  isWarehouseTableName,
  type PipelineResources,
  type QueueResource,
  type ResourceNames,
  resourceNames,
  type SourceTableName,
  type TargetTableName,
  warehouseTableNames,
  warehouseTables,
} from '@totes/pipeline';
import type { Command } from 'commander';
import { type AwsOptions, awsOption } from '../aws-option';
import { CliError, UsageError } from '../cli-error';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { errorSummary } from '../error-summary';
import { createOutput, formatTable, type Output } from '../output';
import { type AwsConnection, connectAws } from '../stack/aws-connection';
import { deadLetters } from '../stack/dead-letters';
import { progressLine, progressTracker, type TableCount } from '../stack/load-progress';
import { progressBars } from '../stack/progress-bars';
import type { QueueConnection } from '../stack/queue-connection';
import { queuesDrained } from '../stack/queues-drained';
import {
  type ReprocessProgressSource,
  type ReprocessWork,
  reprocessProgress,
  reprocessTables,
} from '../stack/reprocess-progress';
import { loadInputs, requeueObjects, type StoredObject, transformInputs } from '../stack/requeue-objects';
import { readRunningStack } from '../stack/running-file';
import { startPipeline } from '../stack/running-pipeline';
import type { StackConnection } from '../stack/stack-connection';
import { connectStack, stackConnectionOf } from '../stack/stack-connection';
import { tableParser } from '../table-option';

/** Where reprocessing starts (the pipeline's stage names): everything after it follows by itself. */
const stages = ['extract', 'transform', 'load'] as const;
type FromStage = (typeof stages)[number];

/** `--from source` was the name of `extract` before the stages had one vocabulary. */
const deprecatedStage = 'source';

interface ReprocessOptions extends StackOptions, AwsOptions {
  readonly from: string;
}

/** The source tables to re-extract for a table name (checked when parsed): itself, or a warehouse table's inputs. */
function sourcesOf(table: string): readonly SourceTableName[] {
  if (isSourceTableName(table)) return [table];
  return isWarehouseTableName(table) ? (warehouseTables[table].inputs as readonly SourceTableName[]) : [];
}

function fromStage(value: string): string {
  if ((stages as readonly string[]).includes(value) || value === deprecatedStage) return value;
  throw new UsageError(`--from: "${value}" is not a stage; it takes ${stages.join(', ')}`, { stages });
}

function warehouseTable(table: string, stage: FromStage): TargetTableName {
  if (isWarehouseTableName(table)) return table;
  throw new UsageError(`--from ${stage} takes a warehouse table; "${table}" is a source table`, {
    tables: warehouseTableNames,
  });
}

/** Where reprocessing sends its requests and events: the local stack, or a deployment in AWS. */
interface Deployment {
  readonly queues: QueueConnection;
  readonly s3: S3Client;
  readonly names: ResourceNames;
  readonly region: string;
}

function localDeployment(connection: StackConnection): Deployment {
  return {
    queues: connection,
    s3: connection.clients.s3,
    names: resourceNames(localStackSettings.environment),
    region: localStackSettings.region,
  };
}

function awsDeployment(connection: AwsConnection): Deployment {
  return {
    queues: connection,
    s3: connection.s3,
    names: connection.names,
    region: connection.region,
  };
}

async function fromSource(deployment: Deployment, table: string, output: Output): Promise<Queued> {
  const sources = sourcesOf(table);
  const requestedAt = new Date();
  const run = compactTimestampOf(requestedAt);
  const requests: ExtractRequest[] = sources.map((source) => ({
    mode: 'full',
    table: source,
    run,
    requestedAt: requestedAt.toISOString(),
  }));
  for (const request of requests) {
    await deployment.queues.sqs.send(
      new SendMessageCommand({
        QueueUrl: deployment.queues.queueUrl(deployment.names.queue('extract', request.table)),
        ...extractMessage(request, `reprocess-${request.table}-${run}`),
      }),
    );
  }
  output.say(`Asked for a full re-extraction of ${sources.join(', ')} (run ${run}).`);
  return { work: { from: 'extract', run, sources }, result: { from: 'extract', tables: sources, run } };
}

/** The objects whose events are sent again, or a message to act on when the bucket cannot be listed. */
async function storedObjects(
  list: () => Promise<StoredObject[]>,
  bucket: string,
  region: string,
): Promise<StoredObject[]> {
  try {
    return await list();
  } catch (error) {
    throw new CliError(`could not list s3://${bucket} in ${region}: ${errorSummary(error)}`, 1, {
      cause: error,
    });
  }
}

/**
 * Re-sends the ObjectCreated events of a table's objects into its transform or load queue: the
 * stage redoes what is missing (an output deleted, a message purged from a DLQ, a warehouse
 * restored from an older backup) and skips what it already has.
 */
async function fromStoredObjects(
  deployment: Deployment,
  target: TargetTableName,
  stage: 'transform' | 'load',
  output: Output,
): Promise<Queued> {
  const { names, s3, region } = deployment;
  const bucket = stage === 'transform' ? names.ingestBucket : names.processedBucket;
  const objects = await storedObjects(
    () => (stage === 'transform' ? transformInputs(s3, bucket, target) : loadInputs(s3, bucket, target)),
    bucket,
    region,
  );
  const queue = names.queue(stage, target);
  const sent = await requeueObjects(
    deployment.queues.sqs,
    deployment.queues.queueUrl(queue),
    bucket,
    region,
    objects,
    (n) => output.progress(`re-queued ${n} of ${objects.length} events into ${queue}`),
  );
  output.say(`Re-queued the events of ${sent} objects of ${bucket} into ${queue}.`);
  return {
    work: { from: stage, table: target, objects: objects.slice(0, sent) },
    result: { from: stage, table: target, queue, objects: sent },
  };
}

/** What a reprocess sent down the pipeline, and what it says of it in `--json`. */
interface Queued {
  readonly work: ReprocessWork;
  readonly result: Record<string, unknown>;
}

/** Sends the reprocess's requests or events; what follows runs by itself. */
function queueWork(deployment: Deployment, table: string, stage: FromStage, output: Output): Promise<Queued> {
  if (stage === 'extract') return fromSource(deployment, table, output);
  return fromStoredObjects(deployment, warehouseTable(table, stage), stage, output);
}

/** The queues a reprocess's work passes through: the extract queue for its sources, its tables' others. */
function queuesOf(work: ReprocessWork, resources: PipelineResources): readonly QueueResource[] {
  const tables: readonly string[] = reprocessTables(work);
  const sources: readonly string[] = work.from === 'extract' ? work.sources : [];
  return resources.queues.filter((queue) =>
    queue.stage === 'extract'
      ? queue.tables.some((table) => sources.includes(table))
      : tables.includes(queue.table ?? ''),
  );
}

/** Where the progress view of a local stack reads. */
function progressSource(connection: StackConnection, names: ResourceNames): ReprocessProgressSource {
  return {
    s3: connection.clients.s3,
    ingestBucket: names.ingestBucket,
    processedBucket: names.processedBucket,
    warehouseUrl: connection.warehouseUrl,
    totesysUrl: connection.totesysUrl,
  };
}

/**
 * Shows a reprocess's progress until `finished` resolves: per table, rows done of rows expected,
 * the rate and the time left (bars on a terminal, a line every few seconds otherwise), then a
 * summary of what reached the warehouse and what was dead-lettered. Exits 1 if any of its
 * queues' DLQs holds messages at the end.
 */
async function followWork(
  queued: Queued,
  connection: StackConnection,
  output: Output,
  finished: (onTick: () => void, allDone: () => boolean) => Promise<void>,
): Promise<void> {
  const names = resourceNames(localStackSettings.environment);
  const progress = reprocessProgress(queued.work, progressSource(connection, names));
  const tracker = progressTracker();
  const bars = process.stderr.isTTY && !output.json ? progressBars() : undefined;
  const started = performance.now();
  let lastSample = 0;
  let sampling: Promise<void> | undefined;
  let latest: readonly TableCount[] = [];
  const allDone = () => latest.length > 0 && latest.every((count) => count.done >= count.expected);
  const sample = () =>
    progress
      .sample()
      .then((counts) => {
        latest = counts;
        const now = tracker.sample(counts);
        if (bars) bars.update(now);
        else output.progress(progressLine(now, 'reprocessing'));
      })
      .catch(() => undefined);
  const onTick = () => {
    if (sampling || Date.now() - lastSample < 2000) return;
    lastSample = Date.now();
    sampling = sample().finally(() => {
      sampling = undefined;
    });
  };
  try {
    await finished(onTick, allDone);
    await sampling;
  } finally {
    bars?.stop();
  }
  const counts = await progress.sample();
  const queues = queuesOf(queued.work, connection.resources);
  const { queues: deadLetterQueues } = await deadLetters(connection, queues);
  const dead = deadLetterQueues.reduce((sum, queue) => sum + queue.messages, 0);
  const seconds = (performance.now() - started) / 1000;
  output.say(
    formatTable(
      ['table', 'rows done', 'expected', 'dead letters'],
      counts.map((count) => [
        count.table,
        count.done,
        count.expected,
        deadLetterQueues
          .filter((queue) => queue.table === count.table)
          .reduce((sum, queue) => sum + queue.messages, 0),
      ]),
    ),
  );
  output.say(`\nreprocessed in ${seconds.toFixed(1)} s`);
  if (dead > 0) {
    output.say(`${dead} message(s) dead-lettered: see \`totes dlq\``);
    process.exitCode = 1;
  }
  output.result({ ...queued.result, seconds, progress: counts, deadLetterQueues });
}

interface ReprocessOptions extends StackOptions, AwsOptions {
  readonly from: string;
  /** False with `--no-wait`. */
  readonly wait: boolean;
}

/** Reprocesses in AWS: the functions of the deployment take it from there. */
async function reprocessInAws(environment: string, table: string, stage: FromStage, output: Output) {
  const connection = await connectAws(environment);
  try {
    const deployment = awsDeployment(connection);
    const queued = await queueWork(deployment, table, stage, output);
    output.say(
      `The functions of ${connection.environment} (${connection.region}) take it from here; follow it with \`totes status --aws ${environment}\`.`,
    );
    output.result(queued.result);
  } finally {
    await connection.close();
  }
}

/**
 * Reprocesses on the local stack: with `--no-wait`, queues the work for the running stack or the
 * next `totes up` or `totes sync`; otherwise follows it to the end, on the running stack or on a
 * pipeline this command runs until its work is done.
 */
async function reprocessLocally(table: string, stage: FromStage, options: ReprocessOptions, output: Output) {
  const dataDir = dataDirOf(options.dataDir);
  const running = await readRunningStack(dataDir);
  if (!options.wait || running) {
    const connection = await connectStack(
      dataDir,
      databaseUrls(options),
      'reprocess',
      (line) => output.warn(line),
      // A stack made here runs the request at its first `totes up` or `totes sync`.
      { create: true },
    );
    try {
      const deployment = localDeployment(connection);
      const queued = await queueWork(deployment, table, stage, output);
      if (!options.wait) {
        output.say(
          connection.running
            ? 'The running stack is on it; follow it with `totes status`.'
            : 'The next `totes up` or `totes sync` runs it.',
        );
        output.result(queued.result);
        return;
      }
      const only = queuesOf(queued.work, connection.resources);
      // Done when every row is in, or when its queues are empty (what was dead-lettered never is).
      await followWork(queued, connection, output, (onTick, until) =>
        queuesDrained(connection, { onTick, only, until }),
      );
    } finally {
      await connection.close();
    }
    return;
  }
  const pipeline = await startPipeline({
    dataDir,
    ...databaseUrls(options),
    schedule: false,
    command: 'reprocess',
    onRecovered: (line) => output.warn(line),
  });
  try {
    const connection = stackConnectionOf(pipeline.stack, pipeline.log.path);
    const queued = await queueWork(localDeployment(connection), table, stage, output);
    await followWork(queued, connection, output, (onTick) => pipeline.settled({ onTick }));
  } finally {
    await pipeline.stop();
  }
}

/** `totes reprocess`: redo a table from the source, or from its transform or load stage. */
export function reprocessCommand(program: Command): void {
  awsOption(
    stackOptions(
      program
        .command('reprocess')
        .description(
          'redo a table from a stage: `extract` re-extracts it from totesys (a `full` request), `transform` and `load` re-send the events of the objects stored for it; locally it then shows the progress (rows done of rows expected, rate, time left) until the work is done, running the pipeline itself when no stack runs; rows the warehouse already holds are kept once',
        )
        .argument(
          '<table>',
          'a warehouse table (or, from extract, a source table); from extract, a warehouse table means its inputs',
          tableParser('source or warehouse', '<table>'),
        )
        .option('--from <stage>', `where to start: ${stages.join(', ')}`, fromStage, 'extract')
        .option(
          '--no-wait',
          'queue the work and return: the running stack, or the next `up` or `sync`, does it',
        )
        .addHelpText(
          'after',
          `
Examples:
  $ totes reprocess fact_sales_order                 # a full re-extraction of its inputs
  $ totes reprocess sales_order                      # a full re-extraction of one source table
  $ totes reprocess dim_staff --from transform       # re-send its ingest objects' events
  $ totes reprocess fact_payment --from load --no-wait
  $ totes reprocess fact_sales_order --from load --aws prod`,
        ),
    ),
  ).action(async (table: string, options: ReprocessOptions) => {
    const output = createOutput(options.json === true);
    if (options.from === deprecatedStage) output.warn('--from source is deprecated: use --from extract');
    const stage: FromStage = options.from === deprecatedStage ? 'extract' : (options.from as FromStage);
    if (stage !== 'extract') warehouseTable(table, stage);
    if (stage === 'extract' && sourcesOf(table).length === 0) {
      throw new UsageError(`${table} is generated, not extracted: nothing to reprocess from totesys`);
    }
    if (stage === 'transform' && isWarehouseTableName(table) && warehouseTables[table].inputs.length === 0) {
      throw new UsageError(`${table} is generated by the loader, not transformed: use --from load`);
    }
    if (options.aws) await reprocessInAws(options.aws, table, stage, output);
    else await reprocessLocally(table, stage, options, output);
  });
}
