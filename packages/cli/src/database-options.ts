import type { Command } from 'commander';
import { checkPostgresUrl, postgresUrlParser } from './postgres-url';

/** The options that point a command at a stack: its data directory and, optionally, real databases. */
export interface StackOptions {
  readonly dataDir?: string;
  readonly totesysUrl?: string;
  readonly warehouseUrl?: string;
  readonly json?: boolean;
}

/** Adds `--data-dir`, `--totesys-url`, `--warehouse-url` and `--json` to a command. */
export function stackOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'where the local stack keeps its state (default: TOTES_DATA_DIR or .totes)')
    .option(
      '--totesys-url <url>',
      'read this totesys instead of the embedded one (default: TOTESYS_URL)',
      postgresUrlParser('--totesys-url'),
    )
    .option(
      '--warehouse-url <url>',
      'load this warehouse instead of the embedded one (default: WAREHOUSE_URL)',
      postgresUrlParser('--warehouse-url'),
    )
    .option('--json', 'print JSON for machines instead of text for people');
}

/** The database URLs from flags (checked when parsed), else the environment (checked here). */
export function databaseUrls(options: StackOptions): { totesysUrl?: string; warehouseUrl?: string } {
  const { TOTESYS_URL, WAREHOUSE_URL } = process.env;
  const totesysUrl = options.totesysUrl ?? (TOTESYS_URL && checkPostgresUrl(TOTESYS_URL, 'TOTESYS_URL'));
  const warehouseUrl =
    options.warehouseUrl ?? (WAREHOUSE_URL && checkPostgresUrl(WAREHOUSE_URL, 'WAREHOUSE_URL'));
  return { ...(totesysUrl ? { totesysUrl } : {}), ...(warehouseUrl ? { warehouseUrl } : {}) };
}
