import { queueDepths } from '@totes/local';
import type { Command } from 'commander';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput } from '../output';
import { connectStack } from '../stack/stack-connection';
import { stackStatus } from '../stack/stack-status';
import { statusTable } from '../stack/status-table';

/** `totes status`: the per-table summary of a stack, running or stopped. */
export function statusCommand(program: Command): void {
  stackOptions(
    program.command('status').description('the per-table summary of a local stack, running or stopped'),
  ).action(async (options: StackOptions) => {
    const output = createOutput(options.json === true);
    const dataDir = dataDirOf(options.dataDir);
    const connection = await connectStack(dataDir, databaseUrls(options));
    try {
      const status = await stackStatus({
        totesysUrl: connection.totesysUrl,
        warehouseUrl: connection.warehouseUrl,
        queueDepths: () => queueDepths(connection.clients, connection.resources, connection.queueUrl),
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
