import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import {
  type AwsClients,
  awsClients,
  emulatorQueueInspector,
  type LocalStack,
  localStackSettings,
  startLocalStack,
} from '@totes/local';
import { type PipelineResources, pipelineResources, resourceNames } from '@totes/pipeline';
import { CliError } from '../cli-error';
import { resolveLocalPorts } from '../local-ports';
import { claimDataDir } from './claim-data-dir';
import { fileFailureLog } from './failure-log';
import type { QueueConnection } from './queue-connection';
import { readRunningStack } from './running-file';

/** What the commands need of a local stack, running or not: its queues, buckets and databases. */
export interface StackConnection extends QueueConnection {
  readonly resources: PipelineResources;
  readonly clients: AwsClients;
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
  /** The `totes up` running from the data directory, if there is one. */
  readonly running?: { readonly pid: number; readonly startedAt: string };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Refuses a data directory that holds no stack (a typo in `--data-dir`, a fresh checkout): a
 * command that only reads must not create one, nor start a PostgreSQL to find it empty. A stack
 * is there once its emulator state is (`stack.json`), with its PostgreSQL unless both URLs are given.
 */
async function requireStack(
  dataDir: string,
  urls: { readonly totesysUrl?: string; readonly warehouseUrl?: string },
): Promise<void> {
  const embedded = !urls.totesysUrl || !urls.warehouseUrl;
  if (
    (await exists(join(dataDir, 'stack.json'))) &&
    (!embedded || (await exists(join(dataDir, 'postgres'))))
  ) {
    return;
  }
  throw new CliError(
    `there is no stack in ${dataDir}: create one with \`totes up\` or \`totes sync\` (or point --data-dir or TOTES_DATA_DIR at an existing one)`,
  );
}

/**
 * Connects to the stack of a data directory.
 *
 * To the running `totes up` if there is one, or by starting its emulator (and databases) for the
 * length of the command, which then holds the data directory (`command` names it to others; what a
 * crash left is recovered and told to `say`). A data directory without a stack is refused, unless
 * `create` is set.
 */
export async function connectStack(
  dataDir: string,
  urls: { readonly totesysUrl?: string; readonly warehouseUrl?: string },
  command: string,
  say: (line: string) => void = () => {},
  { create = false }: { readonly create?: boolean } = {},
): Promise<StackConnection> {
  const logPath = join(dataDir, 'logs', 'pipeline.log');
  const running = await readRunningStack(dataDir);
  if (!running && !create) await requireStack(dataDir, urls);
  if (running) {
    const clients = awsClients({ endpoint: running.awsEndpoint, region: localStackSettings.region });
    const resources = pipelineResources(resourceNames(localStackSettings.environment));
    const urlsByName = new Map<string, string>();
    for (const queue of resources.queues) {
      for (const name of [queue.name, queue.deadLetterQueue]) {
        const { QueueUrl } = await clients.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
        urlsByName.set(name, QueueUrl ?? '');
      }
    }
    return {
      resources,
      clients,
      sqs: clients.sqs,
      failureLog: fileFailureLog(logPath),
      moveTasks: false, // the emulator has none
      inspector: emulatorQueueInspector(running.awsEndpoint),
      totesysUrl: running.totesysUrl,
      warehouseUrl: running.warehouseUrl,
      running: { pid: running.pid, startedAt: running.startedAt },
      queueUrl: (name) => urlsByName.get(name) ?? '',
      close: async () => clients.destroy(),
    };
  }
  const lock = await claimDataDir(dataDir, command, say);
  try {
    const stack = await startLocalStack({ dataDir, ...urls, ports: await resolveLocalPorts(say) });
    const close = async () => {
      await stack.stop();
      await lock.release();
    };
    return { ...stackConnectionOf(stack, logPath), close };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** The queue operations' view of a stack this process runs (closing it is the owner's job). */
export function stackConnectionOf(stack: LocalStack, logPath: string): StackConnection {
  return {
    resources: stack.resources,
    clients: stack.clients,
    sqs: stack.clients.sqs,
    failureLog: fileFailureLog(logPath),
    // The emulator has no message-move tasks (fauxqs 2.4 answers InvalidAction).
    moveTasks: false,
    inspector: emulatorQueueInspector(stack.awsEndpoint),
    totesysUrl: stack.totesysUrl,
    warehouseUrl: stack.warehouseUrl,
    queueUrl: (name) => stack.queueUrl(name),
    close: async () => {},
  };
}
