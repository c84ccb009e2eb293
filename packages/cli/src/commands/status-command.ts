import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { awsClients, localStackSettings, queueDepths, startLocalStack } from '@totes/local';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import type { Command } from 'commander';
import { dataDirOf } from '../data-dir';
import { databaseUrls, type StackOptions, stackOptions } from '../database-options';
import { createOutput } from '../output';
import { readRunningStack } from '../stack/running-file';
import { stackStatus, type TableStatus } from '../stack/stack-status';
import { statusTable } from '../stack/status-table';

async function statusOfRunning(running: NonNullable<Awaited<ReturnType<typeof readRunningStack>>>) {
  const clients = awsClients({ endpoint: running.awsEndpoint, region: localStackSettings.region });
  try {
    const resources = pipelineResources(resourceNames(localStackSettings.environment));
    const urls = new Map<string, string>();
    for (const queue of resources.queues) {
      for (const name of [queue.name, queue.deadLetterQueue]) {
        const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        urls.set(name, QueueUrl ?? '');
      }
    }
    return await stackStatus({
      totesysUrl: running.totesysUrl,
      warehouseUrl: running.warehouseUrl,
      queueDepths: () => queueDepths(clients, resources, (name) => urls.get(name) ?? ''),
    });
  } finally {
    clients.destroy();
  }
}

/** `totes status`: the per-table summary of a stack, running or stopped. */
export function statusCommand(program: Command): void {
  stackOptions(
    program.command('status').description('the per-table summary of a local stack, running or stopped'),
  ).action(async (options: StackOptions) => {
    const output = createOutput(options.json === true);
    const dataDir = dataDirOf(options.dataDir);
    const running = await readRunningStack(dataDir);
    let status: readonly TableStatus[];
    if (running) {
      status = await statusOfRunning(running);
    } else {
      const stack = await startLocalStack({ dataDir, ...databaseUrls(options) });
      try {
        status = await stackStatus(stack);
      } finally {
        await stack.stop();
      }
    }
    output.say(
      `${running ? `running since ${running.startedAt} (pid ${running.pid})` : 'stopped'}: ${dataDir}`,
    );
    output.say(statusTable(status));
    output.result({ running: running !== undefined, dataDir, tables: status });
  });
}
