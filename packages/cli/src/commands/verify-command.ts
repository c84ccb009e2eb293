import type { S3Client } from '@aws-sdk/client-s3';
import { localStackSettings } from '@totes/local';
import { resourceNames, type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import { s3ObjectListing } from '@totes/runtime';
import { type Command, InvalidArgumentError } from 'commander';
import { type AwsOptions, awsOption } from '../aws-option';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, type Output } from '../output';
import { connectAws } from '../stack/aws-connection';
import type { QueueConnection } from '../stack/queue-connection';
import { queuesDrained } from '../stack/queues-drained';
import { readRunningStack } from '../stack/running-file';
import { type RunningPipeline, startPipeline } from '../stack/running-pipeline';
import { connectStack, stackConnectionOf } from '../stack/stack-connection';
import { checkTableName } from '../table-option';
import {
  type HealAction,
  type HealTarget,
  reloadTable,
  replayable,
  requestFullExtraction,
  requeueMissedEvents,
} from '../verify/heal-warehouse';
import { checkPipeline, type PipelineCheck } from '../verify/pipeline-check';
import { differs, type TableDifference } from '../verify/table-difference';
import { type DatabaseUrls, verifyData } from '../verify/verify-data';
import { reportText, type VerifyReport, verifyReport } from '../verify/verify-report';

interface VerifyOptions extends StackOptions, AwsOptions {
  readonly table: readonly TargetTableName[];
  readonly heal?: boolean;
  readonly grace?: number;
}

function tableOption(value: string, previous: readonly TargetTableName[]): TargetTableName[] {
  return [...previous, checkTableName<TargetTableName>(value, 'warehouse', '--table')];
}

function secondsOption(value: string): number {
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(seconds))
    throw new InvalidArgumentError('expected whole seconds');
  return seconds;
}

/** Everything one verify needs, wherever the pipeline runs. */
interface VerifyContext {
  readonly target: HealTarget;
  readonly databases?: DatabaseUrls;
  readonly graceSeconds: number;
  readonly tables: readonly TargetTableName[];
  /** Waits until what was queued has been done. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

async function verifyOnce(
  context: VerifyContext,
  tables: readonly TargetTableName[] = context.tables,
): Promise<{ check: PipelineCheck; differences?: TableDifference[]; report: VerifyReport }> {
  const started = performance.now();
  const { target } = context;
  const [check, differences] = await Promise.all([
    checkPipeline(
      target.queues,
      target.names,
      s3ObjectListing(target.s3),
      context.databases?.warehouseUrl,
      context.graceSeconds,
      tables,
    ),
    context.databases ? verifyData(context.databases, tables) : Promise.resolve(undefined),
  ]);
  const report = verifyReport(check, differences, (performance.now() - started) / 1000);
  return { check, ...(differences ? { differences } : {}), report };
}

/**
 * Repairs what a verify found: re-sends the events the pipeline missed, loads each differing
 * table again from its stored objects, and, for what is still different after that, asks for a
 * full re-extraction of the table's inputs; it waits for the pipeline after each step.
 */
async function heal(
  context: VerifyContext,
  found: Awaited<ReturnType<typeof verifyOnce>>,
  output: Output,
): Promise<HealAction[]> {
  const actions: HealAction[] = [];
  actions.push(...(await requeueMissedEvents(context.target, found.check.unconsumed)));
  const stale = (found.differences ?? []).filter(replayable).map((difference) => difference.table);
  for (const table of stale) {
    output.progress(`loading ${table} again from its stored objects…`);
    actions.push(await reloadTable(context.target, table));
  }
  if (actions.length === 0) return actions;
  await context.settled();
  if (stale.length === 0 || !context.databases) return actions;
  const again = await verifyData(context.databases, stale);
  const unexplained = again.filter(replayable).map((difference) => difference.table);
  for (const table of unexplained) {
    if (warehouseTableNameHasInputs(table)) actions.push(await requestFullExtraction(context.target, table));
  }
  if (unexplained.length > 0) await context.settled();
  return actions;
}

const warehouseTableNameHasInputs = (table: TargetTableName) => table !== 'dim_date';

function describeAction(action: HealAction): string {
  switch (action.action) {
    case 'requeue-unconsumed':
      return `re-queued ${action.events} missed event(s)`;
    case 'reload-table':
      return `loaded ${action.table} again from ${action.events} stored object(s)`;
    case 'full-extraction':
      return `asked for a full re-extraction of ${action.sources?.join(', ')} (for ${action.table})`;
  }
}

async function awsContext(
  options: VerifyOptions,
  tables: readonly TargetTableName[],
): Promise<VerifyContext> {
  const environment = options.aws as string;
  const connection = await connectAws(environment);
  // --aws refuses the URL flags; the data part reads the databases from the environment, if given.
  const urls = databaseUrls({});
  return context(connection, connection.s3, connection.region, connection.names, urls, tables, {
    graceSeconds: options.grace ?? 900,
    settled: () => queuesDrained(connection),
    close: () => connection.close(),
  });
}

function context(
  queues: QueueConnection,
  s3: S3Client,
  region: string,
  names: ReturnType<typeof resourceNames>,
  urls: { totesysUrl?: string; warehouseUrl?: string },
  tables: readonly TargetTableName[],
  rest: Pick<VerifyContext, 'graceSeconds' | 'settled' | 'close'>,
): VerifyContext {
  const databases =
    urls.totesysUrl && urls.warehouseUrl
      ? { totesysUrl: urls.totesysUrl, warehouseUrl: urls.warehouseUrl }
      : undefined;
  return {
    target: { queues, names, region, s3, warehouseUrl: urls.warehouseUrl ?? '' },
    ...(databases ? { databases } : {}),
    tables,
    ...rest,
  };
}

async function localContext(
  options: VerifyOptions,
  tables: readonly TargetTableName[],
): Promise<VerifyContext> {
  const dataDir = dataDirOf(options.dataDir);
  const names = resourceNames(localStackSettings.environment);
  const running = await readRunningStack(dataDir);
  // The longest a local stage may take with a message: younger objects may still be on their way.
  const busyGrace = Math.max(...Object.values(localStackSettings.timeoutSeconds)) + 30;
  if (options.heal && !running) {
    const pipeline: RunningPipeline = await startPipeline({
      dataDir,
      ...databaseUrls(options),
      schedule: false,
      command: 'verify --heal',
    });
    const connection = stackConnectionOf(pipeline.stack, pipeline.log.path);
    // Whatever an earlier run left queued is done first, so verify sees a pipeline at rest.
    await pipeline.settled();
    return context(connection, pipeline.stack.clients.s3, pipeline.stack.region, names, connection, tables, {
      graceSeconds: options.grace ?? 0,
      settled: () => pipeline.settled(),
      close: () => pipeline.stop(),
    });
  }
  const connection = await connectStack(dataDir, databaseUrls(options), 'verify');
  return context(connection, connection.clients.s3, localStackSettings.region, names, connection, tables, {
    graceSeconds: options.grace ?? (connection.running ? busyGrace : 0),
    settled: () => queuesDrained(connection),
    close: () => connection.close(),
  });
}

/** `totes verify`: the pipeline's bookkeeping and the warehouse against the source, with `--heal`. */
export function verifyCommand(program: Command): void {
  awsOption(
    stackOptions(
      program
        .command('verify')
        .description(
          'check that every stored object reached its next stage, that no DLQ holds messages, and that the warehouse equals what the spec’s rules make of the source, table by table; exits 1 on any difference. It maps the source with the transformer’s own mappings, so it cannot catch a mapping bug (the end-to-end tests check those against queries written from the spec)',
        )
        .option('--table <table>', 'verify this warehouse table only (repeatable)', tableOption, [])
        .option(
          '--heal',
          're-send missed events, load differing tables again from their stored objects, ask for full re-extractions for what remains, wait, and verify again',
        )
        .option(
          '--grace <seconds>',
          'leave out objects younger than this (default: 0 for a stack this command runs, the stage timeout plus 30 s for a running one, 900 in AWS)',
          secondsOption,
        )
        .addHelpText(
          'after',
          `
Examples:
  $ totes verify                               # the local stack (running or not)
  $ totes verify --table dim_design --json
  $ totes verify --heal                        # repair, wait, verify again
  $ totes verify --aws prod                    # a deployment (its data with TOTESYS_URL and WAREHOUSE_URL)`,
        ),
    ),
  ).action(async (options: VerifyOptions) => {
    const output = createOutput(options.json === true);
    const tables = options.table.length > 0 ? options.table : warehouseTableNames;
    const verifyContext = options.aws
      ? await awsContext(options, tables)
      : await localContext(options, tables);
    try {
      const first = await verifyOnce(verifyContext);
      if (!options.heal || first.report.clean) {
        output.say(reportText(first.report));
        output.result(first.report);
        if (!first.report.clean) process.exitCode = 1;
        return;
      }
      if (!options.json) output.say(`${reportText(first.report)}\n\nhealing…`);
      const actions = await heal(verifyContext, first, output);
      for (const action of actions) output.say(`  ${describeAction(action)}`);
      if (first.report.pipeline.deadLetters.length > 0) {
        output.say('  dead letters are left for `totes dlq` (fix their cause, then redrive)');
      }
      const final = await verifyOnce(verifyContext);
      output.say(`\nafter healing:\n${reportText(final.report)}`);
      output.result({ ...final.report, healed: { before: first.report, actions } });
      if (!final.report.clean) process.exitCode = 1;
      const unhealable = (final.differences ?? []).filter(
        (difference) => differs(difference) && !replayable(difference),
      );
      if (unhealable.length > 0) {
        output.warn(
          `${unhealable.map((difference) => difference.table).join(', ')}: extra keys or repeated versions are not removed by healing; nothing in the pipeline deletes warehouse rows`,
        );
      }
    } finally {
      await verifyContext.close();
    }
  });
}
