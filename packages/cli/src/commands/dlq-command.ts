import { isSourceTableName, isWarehouseTableName, stageNames } from '@totes/pipeline';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from '../cli-error';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, formatTable } from '../output';
import { deadLetters, purge, redrive, selectQueues } from '../stack/dead-letters';
import { connectStack } from '../stack/stack-connection';

interface DlqOptions extends StackOptions {
  readonly stage?: string;
  readonly table?: string;
  readonly yes?: boolean;
}

const actions = ['list', 'redrive', 'purge'] as const;

function stageOption(value: string): string {
  if (!(stageNames as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${stageNames.join(', ')}`);
  }
  return value;
}

function tableOption(value: string): string {
  if (!isSourceTableName(value) && !isWarehouseTableName(value)) {
    throw new InvalidArgumentError('expected a source or warehouse table of the topology');
  }
  return value;
}

/** `totes dlq`: list, redrive or purge the dead-letter queues of a stack. */
export function dlqCommand(program: Command): void {
  stackOptions(
    program
      .command('dlq')
      .description(
        'list the dead-lettered messages (with their object, attempts and last error), redrive them, or purge them',
      )
      .argument('[action]', `${actions.join(' | ')}`, 'list')
      .option('--stage <stage>', `only the queues of one stage (${stageNames.join(', ')})`, stageOption)
      .option('--table <table>', 'only the queues of one table', tableOption)
      .option('--yes', 'confirm a purge'),
  ).action(async (action: string, options: DlqOptions) => {
    if (!(actions as readonly string[]).includes(action)) {
      throw new CliError(`unknown action "${action}": expected ${actions.join(', ')}`, 2);
    }
    if (action === 'purge' && !options.yes) {
      throw new CliError('a purge deletes the messages for good: add --yes to confirm', 2);
    }
    const output = createOutput(options.json === true);
    const connection = await connectStack(dataDirOf(options.dataDir), databaseUrls(options));
    try {
      const queues = selectQueues(connection, options);
      if (action === 'list') {
        const letters = await deadLetters(connection, queues);
        if (letters.length === 0) output.say('No dead-lettered messages.');
        else {
          output.say(
            formatTable(
              ['queue', 'attempts', 'subject', 'last error'],
              letters.map((letter) => [
                letter.queue,
                letter.attempts,
                letter.subject,
                letter.error ?? '(not in the logs)',
              ]),
            ),
          );
        }
        output.result({ deadLetters: letters });
        return;
      }
      const count =
        action === 'redrive' ? await redrive(connection, queues) : await purge(connection, queues);
      output.say(
        action === 'redrive'
          ? `Moved ${count} message(s) back to their queues${connection.running ? '; the running stack picks them up now' : '; the next `totes up` or `totes sync` processes them'}.`
          : `Deleted ${count} message(s).`,
      );
      output.result({ action, messages: count });
    } finally {
      await connection.close();
    }
  });
}
