import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { Argument } from 'commander';
import { CliError } from '../cli-error';
import { dataDirOf } from '../data-dir';
import { localDatabases } from '../local-postgres';
import { createOutput } from '../output';
import { readRunningStack } from '../stack/running-file';

interface UrlOptions {
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly psql?: boolean;
}

type LocalDatabase = keyof typeof localDatabases;

/** Runs psql on `url`, with the terminal, and resolves with its exit code. */
function runPsql(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('psql', [url], { stdio: 'inherit' });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new CliError(
              'psql is not installed: install the PostgreSQL client (e.g. `apt-get install postgresql-client`), or give `totes url` to any SQL client',
            )
          : error,
      );
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * `totes url`: the full connection URL, password included, of a database of the running local stack.
 *
 * Only the stack's own embedded databases: a database given by URL is the user's, and its password
 * is never printed.
 */
export function urlCommand(program: Command): void {
  program
    .command('url')
    .description(
      'print the connection URL, with its password, of the running local stack’s warehouse (or totesys)',
    )
    .addArgument(
      new Argument('[database]', 'which database').choices(Object.keys(localDatabases)).default('warehouse'),
    )
    .option('--data-dir <dir>', 'the local stack directory (default: TOTES_DATA_DIR or .totes)')
    .option('--psql', 'open psql on it instead of printing it')
    .option('--json', 'print {"database", "url"} as JSON')
    .addHelpText(
      'after',
      `
The local stack listens on 127.0.0.1, port 25432 for PostgreSQL (TOTES_POSTGRES_PORT),
24566 for the AWS emulator (TOTES_AWS_PORT) and 24567 for S3 (TOTES_S3_PORT).

Examples:
  $ totes url                          # postgresql://postgres:…@127.0.0.1:25432/warehouse
  $ totes url totesys
  $ psql "$(totes url)"
  $ totes url --psql                   # the same, when psql is installed`,
    )
    .action(async (database: LocalDatabase, options: UrlOptions) => {
      const output = createOutput(options.json === true);
      const dataDir = dataDirOf(options.dataDir);
      const running = await readRunningStack(dataDir);
      if (!running) {
        throw new CliError(
          `no \`totes up\` runs from ${dataDir}: start the stack with \`totes up\` (or point --data-dir or TOTES_DATA_DIR at the running one)`,
        );
      }
      // Files written before `embedded` was recorded came from stacks with both databases embedded
      // unless URLs were given, which this cannot tell: their URLs are printed only if on loopback.
      const url = database === 'totesys' ? running.totesysUrl : running.warehouseUrl;
      const embedded = running.embedded
        ? running.embedded.includes(database)
        : new URL(url).hostname === '127.0.0.1';
      if (!embedded) {
        throw new CliError(
          `the running stack's ${database} is not its own embedded database but the one its URL names (${database === 'totesys' ? 'TOTESYS_URL' : 'WAREHOUSE_URL'}): \`totes url\` prints only the local stack's`,
        );
      }
      if (options.psql) {
        process.exitCode = await runPsql(url);
        return;
      }
      if (!output.json) process.stdout.write(`${url}\n`);
      output.result({ database, url });
    });
}
