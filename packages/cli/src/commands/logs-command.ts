import { existsSync } from 'node:fs';
import { isSourceTableName, isWarehouseTableName, stageNames } from '@totes/pipeline';
import { type Command, InvalidArgumentError } from 'commander';
import { dataDirOf } from '../data-dir';
import { createOutput } from '../output';
import { formatLogEntry } from '../stack/format-log-entry';
import { type LogLevel, logEntryMatches, logLevels, parseLogEntry } from '../stack/log-entry';
import { pipelineLogPath } from '../stack/log-sink';
import { readLog } from '../stack/read-log';

interface LogsOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly table?: string;
  readonly stage?: string;
  readonly level?: LogLevel;
  readonly follow?: boolean;
}

function tableOption(value: string): string {
  if (!isSourceTableName(value) && !isWarehouseTableName(value)) {
    throw new InvalidArgumentError('expected a source or warehouse table of the topology');
  }
  return value;
}

function stageOption(value: string): string {
  if (!(stageNames as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${stageNames.join(', ')}`);
  }
  return value;
}

function levelOption(value: string): LogLevel {
  const level = value.toUpperCase();
  if (!(logLevels as readonly string[]).includes(level)) {
    throw new InvalidArgumentError(`expected one of ${logLevels.join(', ').toLowerCase()}`);
  }
  return level as LogLevel;
}

/**
 * `totes logs`: the local pipeline's log, filtered, one line per entry for people.
 *
 * With `--json`, the JSON lines themselves; with `--follow`, new lines as they are written, until
 * Ctrl-C.
 */
export function logsCommand(program: Command): void {
  program
    .command('logs')
    .description(
      "the local pipeline's log (its rotated files first), filtered; --follow keeps printing until Ctrl-C",
    )
    .option('--table <table>', 'only the lines of one source or warehouse table', tableOption)
    .option(
      '--stage <stage>',
      `only the lines of one stage's functions (${stageNames.join(', ')})`,
      stageOption,
    )
    .option(
      '--level <level>',
      `only lines at this level or above (${logLevels.join(', ').toLowerCase()})`,
      levelOption,
    )
    .option('-f, --follow', 'keep printing new lines as they are written, until Ctrl-C')
    .option('--data-dir <dir>', 'where the local stack keeps its state (default: TOTES_DATA_DIR or .totes)')
    .option('--json', 'print the log lines themselves, as JSON Lines')
    .addHelpText(
      'after',
      `
Examples:
  $ totes logs --level warn                   # what went wrong, and the retries
  $ totes logs --table fact_sales_order --stage load
  $ totes logs --follow                       # new lines as they come, until Ctrl-C
  $ totes logs --json | jq .message`,
    )
    .action(async (options: LogsOptions) => {
      const output = createOutput(options.json === true);
      const path = pipelineLogPath(dataDirOf(options.dataDir));
      if (!existsSync(path) && !options.follow) {
        output.warn(`no log at ${path} yet: \`totes up\` or \`totes sync\` writes it`);
        return;
      }
      const width = process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
      const stopped = new AbortController();
      // Ctrl-C ends a --follow; what was read is printed, and the command exits 0.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopped.abort());
      await readLog(
        path,
        (line) => {
          const entry = parseLogEntry(line);
          if (!entry || !logEntryMatches(entry, options)) return;
          process.stdout.write(`${options.json ? line : formatLogEntry(entry, width)}\n`);
        },
        { follow: options.follow === true, signal: stopped.signal },
      );
    });
}
