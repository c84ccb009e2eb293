import { PutObjectCommand } from '@aws-sdk/client-s3';
import { givenUpKey, stageNames } from '@totes/pipeline';
import type { Command } from 'commander';
import { type AwsOptions, awsOption } from '../aws-option';
import { UsageError } from '../cli-error';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, formatTable } from '../output';
import { type AwsConnection, connectAws } from '../stack/aws-connection';
import {
  type DeadLetter,
  type DeadLetterQueueCount,
  deadLetters,
  purge,
  redrive,
  selectQueues,
} from '../stack/dead-letters';
import { connectStack, type StackConnection } from '../stack/stack-connection';
import { tableParser } from '../table-option';

interface DlqOptions extends StackOptions, AwsOptions {
  readonly stage?: string;
  readonly table?: string;
  readonly messageId?: readonly string[];
  readonly yes?: boolean;
}

const actions = ['list', 'redrive', 'purge'] as const;

function stageOption(value: string): string {
  if (!(stageNames as readonly string[]).includes(value)) {
    throw new UsageError(`--stage: "${value}" is not a stage; the stages are ${stageNames.join(', ')}`, {
      stages: stageNames,
    });
  }
  return value;
}

function lastError(letter: DeadLetter): string {
  if (letter.error) return letter.error;
  return letter.attempts === null ? '(logs not readable)' : '(not in the logs)';
}

/** The DLQs' counts beside what was listed, and a line for each DLQ that could not be listed whole. */
function queueCounts(queues: readonly DeadLetterQueueCount[]): string {
  const table = formatTable(
    ['DLQ', 'messages', 'visible', 'in flight', 'delayed', 'listed'],
    queues.map((q) => [q.queue, q.messages, q.visible, q.inFlight, q.delayed, q.listed]),
  );
  const short = queues
    .filter((q) => q.listed < q.messages)
    .map(
      (q) =>
        `${q.queue}: ${q.messages - q.listed} of its ${q.messages} message(s) could not be listed now` +
        (q.queue.endsWith('.fifo')
          ? ' (SQS shows at most ten messages of a FIFO message group at a time)'
          : ' (hidden by another look at the queue, or still on their way)'),
    );
  return [table, ...short].join('\n');
}

function whoProcesses(connection: AwsConnection | StackConnection): string {
  if ('environment' in connection) return 'the functions pick them up now';
  return connection.running
    ? 'the running stack picks them up now'
    : 'the next `totes up` or `totes sync` processes them';
}

/** `totes dlq`: list, redrive or purge the dead-letter queues of a local stack or an AWS deployment. */
export function dlqCommand(program: Command): void {
  awsOption(
    stackOptions(
      program
        .command('dlq')
        .description(
          'list the dead-lettered messages (with their object, attempts and last error), redrive them, or purge them',
        )
        .argument('[action]', `${actions.join(' | ')}`, 'list')
        .option('--stage <stage>', `only the queues of one stage (${stageNames.join(', ')})`, stageOption)
        .option(
          '--table <table>',
          'only the queues of one table',
          tableParser('source or warehouse', '--table'),
        )
        .option('--message-id <id...>', 'only these messages (their ids, as `totes dlq list` shows them)')
        .option('--yes', 'confirm a purge')
        .addHelpText(
          'after',
          `
Examples:
  $ totes dlq                                   # list every dead letter of the local stack
  $ totes dlq --stage load --json               # the load stage's, as JSON
  $ totes dlq redrive --table fact_sales_order  # back to their queues
  $ totes dlq purge --message-id 0f1e2d3c-… --yes
  $ totes dlq --aws prod                        # a deployment in AWS`,
        ),
    ),
  ).action(async (action: string, options: DlqOptions) => {
    if (!(actions as readonly string[]).includes(action)) {
      throw new UsageError(`unknown action "${action}": expected ${actions.join(', ')}`, { actions });
    }
    if (action === 'purge' && !options.yes) {
      throw new UsageError('a purge deletes the messages for good: add --yes to confirm');
    }
    const output = createOutput(options.json === true);
    const warnings: string[] = [];
    const onWarning = (line: string) => {
      warnings.push(line);
      output.warn(line);
    };
    const connection: AwsConnection | StackConnection = options.aws
      ? await connectAws(options.aws)
      : await connectStack(dataDirOf(options.dataDir), databaseUrls(options), 'dlq', (line) =>
          output.warn(line),
        );
    try {
      const queues = selectQueues(connection, options);
      const filter = {
        ...(options.messageId ? { messageIds: options.messageId } : {}),
        ...(options.table ? { table: options.table } : {}),
        onWarning,
      };
      const where = 'environment' in connection ? ` in ${connection.environment} (${connection.region})` : '';
      if (action === 'list') {
        const { letters, queues: counts } = await deadLetters(connection, queues, filter);
        if (letters.length === 0 && counts.length === 0) output.say(`No dead-lettered messages${where}.`);
        else {
          output.say(
            formatTable(
              ['queue', 'message id', 'attempts', 'subject', 'last error'],
              letters.map((letter) => [
                letter.queue,
                letter.messageId,
                letter.attempts ?? '?',
                letter.subject,
                lastError(letter),
              ]),
            ),
          );
          output.say(`\n${queueCounts(counts)}`);
        }
        output.result({
          deadLetters: letters,
          queues: counts,
          ...(warnings.length > 0 ? { warnings } : {}),
        });
        return;
      }
      if (action === 'redrive') {
        const { moved, moving } = await redrive(connection, queues, filter);
        output.say(
          `Moved ${moved} message(s) back to their queues${where}${moving > 0 ? ` (SQS is still moving ${moving} more)` : ''}; ${whoProcesses(connection)}.`,
        );
        output.result({
          action,
          messages: moved,
          ...(moving > 0 ? { moving } : {}),
          ...(warnings.length > 0 ? { warnings } : {}),
        });
        return;
      }
      // A purged object is given up for good: reconciliation must not queue it again.
      const { letters } = await deadLetters(connection, queues, {
        ...(options.messageId ? { messageIds: options.messageId } : {}),
        ...(options.table ? { table: options.table } : {}),
        // Only the subjects are needed here, not the attempts from the logs.
        onWarning: () => undefined,
      });
      const deleted = await purge(connection, queues, filter);
      const s3 = 'environment' in connection ? connection.s3 : connection.clients.s3;
      const [ingestBucket = ''] = connection.resources.buckets;
      for (const letter of letters) {
        if (letter.stage === 'extract') continue;
        await s3.send(
          new PutObjectCommand({
            Bucket: ingestBucket,
            Key: givenUpKey(letter.stage, letter.subject),
            Body: '',
          }),
        );
      }
      output.say(`Deleted ${deleted} message(s)${where}.`);
      output.result({ action, messages: deleted, ...(warnings.length > 0 ? { warnings } : {}) });
    } finally {
      await connection.close();
    }
  });
}
