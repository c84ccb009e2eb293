import type { Command } from 'commander';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, formatTable } from '../output';
import { quarantineEntries } from '../stack/quarantine-entries';
import { connectStack } from '../stack/stack-connection';
import { tableParser } from '../table-option';

interface QuarantineOptions extends StackOptions {
  readonly table?: string;
}

// A value or reason can be long; the table keeps one line per row, --json has them whole.
const cut = (text: string | null, length: number) =>
  text === null ? '–' : text.length > length ? `${text.slice(0, length - 1)}…` : text;

/**
 * `totes quarantine`: the source rows left out of the warehouse because they broke their contract.
 *
 * Each with where it was read and why. They are released by themselves when a later extraction of the same row passes.
 */
export function quarantineCommand(program: Command): void {
  stackOptions(
    program
      .command('quarantine')
      .description(
        'the source rows held out of the warehouse for breaking their contract (released when the source is fixed)',
      )
      .option(
        '--table <table>',
        'only the rows of one warehouse or source table',
        tableParser('source or warehouse', '--table'),
      )
      .addHelpText(
        'after',
        `
Examples:
  $ totes quarantine                        # every quarantined row of the local stack
  $ totes quarantine --table sales_order --json`,
      ),
  ).action(async (options: QuarantineOptions) => {
    const output = createOutput(options.json === true);
    const connection = await connectStack(
      dataDirOf(options.dataDir),
      databaseUrls(options),
      'quarantine',
      (line) => output.warn(line),
    );
    try {
      const entries = await quarantineEntries(connection.warehouseUrl, options.table);
      output.say(
        entries.length === 0
          ? 'no quarantined rows'
          : formatTable(
              ['table', 'object', 'line', 'column', 'value', 'reason', 'since'],
              entries.map((entry) => [
                entry.table,
                entry.objectKey,
                entry.line,
                entry.column ?? '–',
                cut(entry.value, 20),
                cut(entry.reason, 60),
                entry.since,
              ]),
            ),
      );
      output.result({ quarantine: entries });
    } finally {
      await connection.close();
    }
  });
}
