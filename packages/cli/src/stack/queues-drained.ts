import { messageCounts, totalOf } from '@totes/local';
import type { QueueResource } from '@totes/pipeline';
import type { QueueConnection } from './queue-connection';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every queue of a pipeline another process runs has been empty for three checks.
 *
 * The process is a `totes up` or a deployment in AWS; empty means nothing waiting or in flight,
 * three checks in a row a second apart. `only` narrows the wait to some of its queues (those of
 * the tables a command set to work), and `until` ends it early, once the caller knows its work
 * is done (on a running stack, scheduled requests may keep a queue from ever being empty).
 */
export async function queuesDrained(
  queues: QueueConnection,
  {
    timeoutSeconds = 600,
    onTick,
    only = queues.resources.queues,
    until = () => false,
  }: {
    readonly timeoutSeconds?: number;
    readonly onTick?: () => void;
    readonly only?: readonly QueueResource[];
    readonly until?: () => boolean;
  } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let quiet = 0;
  while (quiet < 3 && !until()) {
    if (Date.now() > deadline)
      throw new Error(`the pipeline's queues did not empty within ${timeoutSeconds} s`);
    await sleep(1000);
    onTick?.();
    let busy = false;
    for (const queue of only) {
      if (totalOf(await messageCounts(queues.sqs, queues.queueUrl(queue.name))) > 0) {
        busy = true;
        break;
      }
    }
    quiet = busy ? 0 : quiet + 1;
  }
}
