import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { localStackSettings } from '@totes/local';
import {
  compactTimestampOf,
  type ExtractRequest,
  extractMessage,
  isSourceTableName,
  isWarehouseTableName,
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
import { createOutput, type Output } from '../output';
import { type AwsConnection, connectAws } from '../stack/aws-connection';
import type { QueueConnection } from '../stack/queue-connection';
import { loadInputs, requeueObjects, type StoredObject, transformInputs } from '../stack/requeue-objects';
import type { StackConnection } from '../stack/stack-connection';
import { connectStack } from '../stack/stack-connection';
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
  /** Who takes it from there, for the closing sentence. */
  readonly next: string;
}

function localDeployment(connection: StackConnection): Deployment {
  return {
    queues: connection,
    s3: connection.clients.s3,
    names: resourceNames(localStackSettings.environment),
    region: localStackSettings.region,
    next: connection.running ? 'the running stack is on it' : 'the next `totes up` or `totes sync` runs it',
  };
}

function awsDeployment(connection: AwsConnection): Deployment {
  return {
    queues: connection,
    s3: connection.s3,
    names: connection.names,
    region: connection.region,
    next: `the functions of ${connection.environment} (${connection.region}) take it from here`,
  };
}

async function fromSource(deployment: Deployment, table: string, output: Output): Promise<void> {
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
  output.say(`Asked for a full re-extraction of ${sources.join(', ')} (run ${run}); ${deployment.next}.`);
  output.result({ from: 'extract', tables: sources, run });
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
): Promise<void> {
  if (stage === 'transform' && warehouseTables[target].inputs.length === 0) {
    throw new UsageError(`${target} is generated by the loader, not transformed: use --from load`);
  }
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
  output.say(
    `Re-queued the events of ${sent} objects of ${bucket} into ${queue}${sent > 0 ? `; ${deployment.next}` : ''}.`,
  );
  output.result({ from: stage, table: target, queue, objects: sent });
}

/** `totes reprocess`: redo a table from the source, or from its transform or load stage. */
export function reprocessCommand(program: Command): void {
  awsOption(
    stackOptions(
      program
        .command('reprocess')
        .description(
          'redo a table from a stage: `extract` re-extracts it from totesys (a `full` request), `transform` and `load` re-send the events of the objects stored for it; what follows runs by itself, and rows the warehouse already holds are kept once',
        )
        .argument(
          '<table>',
          'a warehouse table (or, from extract, a source table); from extract, a warehouse table means its inputs',
          tableParser('source or warehouse', '<table>'),
        )
        .option('--from <stage>', `where to start: ${stages.join(', ')}`, fromStage, 'extract')
        .addHelpText(
          'after',
          `
Examples:
  $ totes reprocess fact_sales_order                 # a full re-extraction of its inputs
  $ totes reprocess sales_order                      # a full re-extraction of one source table
  $ totes reprocess dim_staff --from transform       # re-send its ingest objects' events
  $ totes reprocess fact_sales_order --from load --aws prod`,
        ),
    ),
  ).action(async (table: string, options: ReprocessOptions) => {
    const output = createOutput(options.json === true);
    if (options.from === deprecatedStage) output.warn('--from source is deprecated: use --from extract');
    const stage: FromStage = options.from === deprecatedStage ? 'extract' : (options.from as FromStage);
    const target = stage === 'extract' ? undefined : warehouseTable(table, stage);
    if (stage === 'extract' && sourcesOf(table).length === 0) {
      throw new UsageError(`${table} is generated, not extracted: nothing to reprocess from totesys`);
    }
    const connection: AwsConnection | StackConnection = options.aws
      ? await connectAws(options.aws)
      : await connectStack(
          dataDirOf(options.dataDir),
          databaseUrls(options),
          'reprocess',
          (line) => output.warn(line),
          // A stack made here runs the request at its first `totes up` or `totes sync`.
          { create: true },
        );
    const deployment = 'environment' in connection ? awsDeployment(connection) : localDeployment(connection);
    try {
      if (target && stage !== 'extract') await fromStoredObjects(deployment, target, stage, output);
      else await fromSource(deployment, table, output);
    } finally {
      await connection.close();
    }
  });
}
