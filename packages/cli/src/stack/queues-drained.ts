import { messageCounts, totalOf } from '@totes/local';
import type { QueueConnection } from './queue-connection';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every queue of a pipeline another process runs has been empty for three checks.
 *
 * The process is a `totes up` or a deployment in AWS; empty means nothing waiting or in flight,
 * three checks in a row a second apart.
 */
export async function queuesDrained(
  queues: QueueConnection,
  { timeoutSeconds = 600, onTick }: { readonly timeoutSeconds?: number; readonly onTick?: () => void } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let quiet = 0;
  while (quiet < 3) {
    if (Date.now() > deadline)
      throw new Error(`the pipeline's queues did not empty within ${timeoutSeconds} s`);
    await sleep(1000);
    onTick?.();
    let busy = false;
    for (const queue of queues.resources.queues) {
      if (totalOf(await messageCounts(queues.sqs, queues.queueUrl(queue.name))) > 0) {
        busy = true;
        break;
      }
    }
    quiet = busy ? 0 : quiet + 1;
  }
}
