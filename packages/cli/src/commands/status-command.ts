import { queueDepths } from '@totes/local';
import type { Command } from 'commander';
import { type AwsOptions, awsOption } from '../aws-option';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, formatTable, type Output } from '../output';
import { connectAws } from '../stack/aws-connection';
import { extractionProgress, progressSummary } from '../stack/extraction-progress';

import { connectStack } from '../stack/stack-connection';
import { stackStatus } from '../stack/stack-status';
import { howLongAgo, statusTable } from '../stack/status-table';

/**
 * The queue depths of a deployment in AWS, queue by queue, and where each table's extraction
 * stands (its state in the ingest bucket). Its databases are not read: their credentials are the
 * functions' secrets, not the operator's.
 */
async function awsStatus(environment: string, output: Output): Promise<void> {
  const connection = await connectAws(environment);
  try {
    const [depths, extraction] = await Promise.all([
      queueDepths(connection.sqs, connection.resources.queues, connection.queueUrl),
      extractionProgress(connection.s3, connection.names.ingestBucket),
    ]);
    output.say(`${environment} in ${connection.region}: messages in each queue and its DLQ`);
    output.say(
      formatTable(
        ['queue', 'visible', 'in flight', 'DLQ'],
        depths.map((depth) => [depth.queue.name, depth.visible, depth.inFlight, depth.deadLetters]),
      ),
    );
    output.say('');
    output.say('where each extraction stands (its state, saved after every object)');
    output.say(
      formatTable(
        ['table', 'extracted', 'state saved'],
        extraction.map((progress) => [
          progress.table,
          progressSummary(progress),
          progress.stateSavedAt === null
            ? '–'
            : howLongAgo((Date.now() - Date.parse(progress.stateSavedAt)) / 1000),
        ]),
      ),
    );
    output.result({
      aws: { environment, region: connection.region },
      extraction,
      queues: depths.map((depth) => ({
        queue: depth.queue.name,
        stage: depth.queue.stage,
        table: depth.queue.table,
        visible: depth.visible,
        inFlight: depth.inFlight,
        deadLetterQueue: depth.queue.deadLetterQueue,
        deadLetters: depth.deadLetters,
      })),
    });
  } finally {
    await connection.close();
  }
}

/** `totes status`: the per-table summary of a local stack, running or stopped, or an AWS deployment's queues. */
export function statusCommand(program: Command): void {
  awsOption(
    stackOptions(
      program
        .command('status')
        .description(
          'the per-table summary of a local stack, running or stopped (with --aws: the queue depths of a deployment, and where each extraction stands)',
        )
        .addHelpText(
          'after',
          `
Examples:
  $ totes status                          # the stack in .totes (or TOTES_DATA_DIR)
  $ totes status --data-dir /srv/totes --json
  $ totes status --aws prod               # queues and extraction state of a deployment`,
        ),
    ),
  ).action(async (options: StackOptions & AwsOptions) => {
    const output = createOutput(options.json === true);
    if (options.aws) {
      await awsStatus(options.aws, output);
      return;
    }
    const dataDir = dataDirOf(options.dataDir);
    const connection = await connectStack(dataDir, databaseUrls(options), 'status', (line) =>
      output.warn(line),
    );
    try {
      const status = await stackStatus({
        totesysUrl: connection.totesysUrl,
        warehouseUrl: connection.warehouseUrl,
        queueDepths: () => queueDepths(connection.sqs, connection.resources.queues, connection.queueUrl),
      });
      const { running } = connection;
      output.say(
        `${running ? `running since ${running.startedAt} (pid ${running.pid})` : 'stopped'}: ${dataDir}`,
      );
      output.say(statusTable(status));
      output.result({ running: running !== undefined, dataDir, tables: status });
    } finally {
      await connection.close();
    }
  });
}
