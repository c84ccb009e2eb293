import { randomBytes } from 'node:crypto';
import {
  type DashboardServer,
  dashboardReaderUrl,
  type PipelineStatus,
  prepareDashboardReader,
  startAnalyticsRefresher,
  startDashboardServer,
} from '@totes/dashboard';
import { queueDepths } from '@totes/local';
import { type Command, InvalidArgumentError } from 'commander';
import pg from 'pg';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput, type Output } from '../output';
import { connectStack } from '../stack/stack-connection';
import { stackStatus } from '../stack/stack-status';

interface DashboardOptions extends StackOptions {
  readonly port: number;
}

/** A TCP port: 0 (any free one) to 65535. */
function portOption(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535)
    throw new InvalidArgumentError('expected a port from 0 to 65535');
  return port;
}

/**
 * Serves the dashboard on 127.0.0.1 against a warehouse this process may administer.
 *
 * The analytics views are (re)created, kept up to date after loads (`startAnalyticsRefresher`), and
 * the dashboard reads through its read-only role, with a password made for this run. When the URL's
 * role may not create roles (a warehouse made by hand, reached as a reader), the dashboard reads as
 * that role instead, and `warn` says so.
 */
export async function serveLocalDashboard(
  warehouseUrl: string,
  options: {
    readonly port?: number;
    readonly status?: () => Promise<PipelineStatus>;
    readonly warn: (line: string) => void;
  },
): Promise<DashboardServer> {
  const password = randomBytes(18).toString('base64url');
  let url = warehouseUrl;
  let refresher: ReturnType<typeof startAnalyticsRefresher> | undefined;
  const client = new pg.Client({ connectionString: warehouseUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await prepareDashboardReader(client, { password });
    url = dashboardReaderUrl(warehouseUrl, { password });
    refresher = startAnalyticsRefresher(warehouseUrl, {
      onError: (error) =>
        options.warn(`the analytics views could not be refreshed: ${(error as Error).message}`),
    });
    await refresher.ready;
  } catch (error) {
    options.warn(
      `the dashboard reads as the warehouse URL's own role (read-only sessions): it could not set up its read-only role (${(error as Error).message})`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  const server = await startDashboardServer({
    warehouseUrl: url,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.status ? { status: options.status } : {}),
  });
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await refresher?.stop();
    },
  };
}

function untilStopped(): Promise<string> {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
      process.once(signal, () => resolve(signal));
  });
}

async function serveUntilStopped(
  warehouseUrl: string,
  options: DashboardOptions,
  output: Output,
  status?: () => Promise<PipelineStatus>,
): Promise<void> {
  const server = await serveLocalDashboard(warehouseUrl, {
    port: options.port,
    warn: (line) => output.warn(line),
    ...(status ? { status } : {}),
  });
  try {
    output.say(`dashboard   ${server.url}`);
    output.say('Ctrl-C stops it.');
    output.result({ url: server.url });
    const signal = await untilStopped();
    output.say(`\n${signal}: stopping …`);
  } finally {
    await server.close();
  }
}

/** `totes dashboard`: the dashboard on this machine, until Ctrl-C. */
export function dashboardCommand(program: Command): void {
  stackOptions(
    program
      .command('dashboard')
      .description('serve the dashboard on 127.0.0.1 (the local stack, or --warehouse-url), until Ctrl-C')
      .option('--port <n>', 'the port to listen on (0: any free port)', portOption, 3000)
      .addHelpText(
        'after',
        `
Examples:
  $ totes dashboard                                  # the stack in .totes (or TOTES_DATA_DIR)
  $ totes dashboard --port 8080
  $ WAREHOUSE_URL=postgresql://… totes dashboard     # a warehouse of your own`,
      ),
  ).action(async (options: DashboardOptions) => {
    const output = createOutput(options.json === true);
    const urls = databaseUrls(options);
    if (urls.warehouseUrl && !urls.totesysUrl) {
      await serveUntilStopped(urls.warehouseUrl, options, output);
      return;
    }
    const dataDir = dataDirOf(options.dataDir);
    const connection = await connectStack(dataDir, urls, 'dashboard', (line) => output.warn(line));
    try {
      await serveUntilStopped(connection.warehouseUrl, options, output, () =>
        stackStatus({
          totesysUrl: connection.totesysUrl,
          warehouseUrl: connection.warehouseUrl,
          queueDepths: () => queueDepths(connection.sqs, connection.resources.queues, connection.queueUrl),
        }),
      );
    } finally {
      await connection.close();
    }
  });
}
