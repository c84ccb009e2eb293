import { createInterface } from 'node:readline/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { localStackSettings } from '@totes/local';
import { resourceNames, type SourceTableName, sourceTableNames, sourceTables } from '@totes/pipeline';
import { connectPostgres } from '@totes/runtime/database';
import type { Command } from 'commander';
import pg from 'pg';
import { type AwsOptions, awsOption } from '../aws-option';
import { UsageError } from '../cli-error';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, formatTable, type Output } from '../output';
import { connectAws } from '../stack/aws-connection';
import { type ExtractionProgress, extractionProgress, resetExtraction } from '../stack/extraction-progress';
import { connectStack } from '../stack/stack-connection';
import { howLongAgo } from '../stack/status-table';
import { tableParser } from '../table-option';

interface StateOptions extends StackOptions, AwsOptions {
  readonly yes?: boolean;
}

/** Where a table's extraction stands, with what the source says of it when totesys can be read. */
export interface TableState extends ExtractionProgress {
  /** Rows in the source table (null when totesys is not read: `--aws`). */
  readonly sourceRows: number | null;
  /** Rows the extraction has not taken yet (event tables; null for reference tables, or unread). */
  readonly pendingRows: number | null;
}

/** The source rows of a table, and those its extraction has not reached yet. */
async function sourceCounts(
  client: pg.Client,
  progress: ExtractionProgress,
): Promise<{ sourceRows: number; pendingRows: number | null }> {
  const { kind, key } = sourceTables[progress.table];
  const table = pg.escapeIdentifier(progress.table);
  const id = pg.escapeIdentifier(key);
  const total = await client.query<{ n: string }>(`SELECT count(*) AS n FROM public.${table}`);
  const sourceRows = Number(total.rows[0]?.n ?? 0);
  if (kind === 'reference' || progress.problem) return { sourceRows, pendingRows: null };
  if (progress.firstExtraction) {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM public.${table} WHERE ${id} > $1`,
      [progress.firstExtraction.afterId],
    );
    return { sourceRows, pendingRows: Number(rows[0]?.n ?? 0) };
  }
  if (progress.extractedUpTo !== null) {
    const { rows } = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM public.${table} WHERE (last_updated, ${id}) > ($1::timestamp, $2)`,
      [progress.extractedUpTo, progress.extractedUpToId ?? 0],
    );
    return { sourceRows, pendingRows: Number(rows[0]?.n ?? 0) };
  }
  return { sourceRows, pendingRows: sourceRows };
}

/** A few words on where the extraction stands, short enough for one line of the table. */
function extracted(state: TableState): string {
  if (state.problem) return '? (see --json)';
  if (state.firstExtraction)
    return `first pass, up to id ${state.firstExtraction.afterId.toLocaleString('en-GB')}`;
  if (state.extractedUpTo) return `up to ${state.extractedUpTo}`;
  if (state.snapshot) return 'snapshot taken';
  return 'not yet';
}

const saved = (state: TableState) =>
  state.stateSavedAt === null ? '–' : howLongAgo((Date.now() - Date.parse(state.stateSavedAt)) / 1000);

function printStates(output: Output, states: readonly TableState[], where: string): void {
  if (states.length === 1 && states[0]) {
    const state = states[0];
    const lines: [string, string | number | null][] = [
      ['table', `${state.table} (${state.kind})`],
      ['extracted', extracted(state)],
      ['watermark', state.extractedUpTo ? `${state.extractedUpTo}, id ${state.extractedUpToId}` : null],
      [
        'first pass',
        state.firstExtraction
          ? `rows before ${state.firstExtraction.horizon}, up to id ${state.firstExtraction.afterId}`
          : null,
      ],
      ['full run', state.fullRun ? `${state.fullRun.run}, up to id ${state.fullRun.afterId}` : null],
      ['snapshot', state.snapshot],
      ['last sweep', state.lastSweep],
      ['source rows', state.sourceRows],
      ['not yet taken', state.pendingRows],
      ['state saved', saved(state)],
      ['problem', state.problem],
    ];
    output.say(
      lines
        .filter(([, value]) => value !== null)
        .map(
          ([name, value]) =>
            `${name.padEnd(14)}${typeof value === 'number' ? value.toLocaleString('en-GB') : value}`,
        )
        .join('\n'),
    );
    return;
  }
  output.say(`where each extraction stands (${where})`);
  output.say(
    formatTable(
      ['table', 'extracted', 'src rows', 'not taken', 'saved'],
      states.map((state) => [
        state.table,
        extracted(state),
        state.sourceRows ?? '–',
        state.pendingRows ?? '–',
        saved(state),
      ]),
    ),
  );
}

/** Asks on the terminal to confirm a reset by typing the table's name. */
async function confirmed(table: string): Promise<boolean> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(
      `The next extraction of ${table} starts from scratch (what is stored stays; the stages skip what they hold).\nType ${table} to reset it: `,
    );
    return answer.trim() === table;
  } finally {
    prompt.close();
  }
}

/** Runs `work` on the ingest bucket of a deployment (`aws`) or of the local stack, and totesys where it can be read. */
async function withStateStore<T>(
  options: StateOptions,
  command: string,
  output: Output,
  work: (s3: S3Client, bucket: string, totesysUrl: string | undefined, where: string) => Promise<T>,
): Promise<T> {
  if (options.aws) {
    const connection = await connectAws(options.aws);
    try {
      return await work(
        connection.s3,
        resourceNames(options.aws).ingestBucket,
        undefined,
        `${options.aws} in ${connection.region}`,
      );
    } finally {
      await connection.close();
    }
  }
  const dataDir = dataDirOf(options.dataDir);
  const connection = await connectStack(dataDir, databaseUrls(options), command, (line) => output.warn(line));
  try {
    return await work(
      connection.clients.s3,
      resourceNames(localStackSettings.environment).ingestBucket,
      connection.totesysUrl,
      connection.running ? `the running stack in ${dataDir}` : dataDir,
    );
  } finally {
    await connection.close();
  }
}

/** `totes state [table]` and `totes state reset <table>`: where extraction stands, and starting it again. */
export function stateCommand(program: Command): void {
  const state = awsOption(
    stackOptions(
      program
        .command('state')
        // `state reset … --json`: options after `reset` are the subcommand's, not taken by `state`.
        .enablePositionalOptions()
        .description(
          'where each source table’s extraction stands: its watermark or snapshot, when it was saved, and rows not yet taken (`state reset <table>` starts one again)',
        )
        .argument('[table]', 'one source table', tableParser('source', '<table>'))
        .addHelpText(
          'after',
          `
"not taken": source rows the extraction has not reached yet (event tables; the
local stack only, as in AWS totesys is the functions' to read).

Examples:
  $ totes state                          # every source table, the stack in .totes
  $ totes state sales_order --json
  $ totes state --aws prod
  $ totes state reset payment            # asks to confirm; --yes in scripts`,
        ),
    ),
  ).action(async (table: SourceTableName | undefined, options: StateOptions) => {
    const output = createOutput(options.json === true);
    const tables = table ? [table] : sourceTableNames;
    await withStateStore(options, 'state', output, async (s3, bucket, totesysUrl, where) => {
      const progress = await extractionProgress(s3, bucket, tables);
      let states: TableState[] = progress.map((p) => ({ ...p, sourceRows: null, pendingRows: null }));
      if (totesysUrl) {
        const client = await connectPostgres(totesysUrl, {
          statementTimeoutMs: 30_000,
          applicationName: 'totes-state',
        });
        try {
          states = [];
          for (const p of progress) states.push({ ...p, ...(await sourceCounts(client, p)) });
        } finally {
          await client.end();
        }
      }
      printStates(output, states, where);
      output.result({ ...(options.aws ? { aws: { environment: options.aws } } : {}), tables: states });
    });
  });

  awsOption(
    stackOptions(
      state
        .command('reset')
        .description('start a source table’s extraction again from scratch (asks to confirm, unless --yes)')
        .argument('<table>', 'the source table', tableParser('source', '<table>'))
        .option('--yes', 'do not ask (for scripts; required when not in a terminal)')
        .addHelpText(
          'after',
          `
What is stored stays: the next extraction takes the whole table again, and the
transformer and loader skip what they already hold, so the warehouse keeps each
row once. An extraction running at that moment may save its state again after
it: \`totes state <table>\` shows where it stands.

Examples:
  $ totes state reset sales_order
  $ totes state reset staff --yes --json
  $ totes state reset payment --aws prod --yes`,
        ),
    ),
  ).action(async (table: SourceTableName, options: StateOptions) => {
    const output = createOutput(options.json === true);
    if (!options.yes) {
      if (!process.stdin.isTTY || output.json) {
        throw new UsageError(
          `state reset ${table} asks to confirm in a terminal: add --yes to run it from a script`,
        );
      }
      if (!(await confirmed(table))) {
        output.say('Not reset: the name typed was not the table’s.');
        process.exitCode = 1;
        return;
      }
    }
    await withStateStore(options, 'state', output, async (s3, bucket, _url, where) => {
      const removed = await resetExtraction(s3, bucket, table);
      output.say(`Reset ${table} in ${where}: its next extraction starts from scratch (${removed} removed).`);
      output.result({ table, reset: true, removed });
    });
  });
}
