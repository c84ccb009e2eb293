import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueResource } from '@totes/pipeline';

/** The approximate numbers of messages in a queue, as SQS counts them. */
export interface MessageCounts {
  readonly visible: number;
  /** Received and not yet deleted (or hidden by a look at the queue). */
  readonly inFlight: number;
  readonly delayed: number;
}

/** How many messages a queue of the pipeline holds, and how many its DLQ holds. */
export interface QueueDepth {
  readonly queue: QueueResource;
  readonly visible: number;
  readonly inFlight: number;
  readonly deadLetters: number;
}

/** Reads a queue's message counts (one `GetQueueAttributes`). */
export async function messageCounts(sqs: Pick<SQSClient, 'send'>, url: string): Promise<MessageCounts> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'ApproximateNumberOfMessagesDelayed',
      ],
    }),
  );
  return {
    visible: Number(Attributes?.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    delayed: Number(Attributes?.ApproximateNumberOfMessagesDelayed ?? 0),
  };
}

/** Every message a queue holds, in whatever state. */
export const totalOf = (counts: MessageCounts) => counts.visible + counts.inFlight + counts.delayed;

/** Runs `work` over `items`, `size` at a time (the SDK's default agent has 50 sockets). */
export async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
}

/** The depth of each queue of a deployment and of its DLQ, ten queues at a time. */
export async function queueDepths(
  sqs: Pick<SQSClient, 'send'>,
  queues: readonly QueueResource[],
  queueUrl: (name: string) => string,
): Promise<readonly QueueDepth[]> {
  return await inBatches(queues, 10, async (queue) => {
    const [main, dead] = await Promise.all([
      messageCounts(sqs, queueUrl(queue.name)),
      messageCounts(sqs, queueUrl(queue.deadLetterQueue)),
    ]);
    return { queue, visible: main.visible, inFlight: main.inFlight, deadLetters: totalOf(dead) };
  });
}
