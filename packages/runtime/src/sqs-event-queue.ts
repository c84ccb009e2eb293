import { GetQueueAttributesCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { EventQueue } from '@totes/pipeline';
import { PipelineError } from '@totes/pipeline';

/** A queue refused some of the events sent to it. */
export class EventQueueError extends PipelineError {
  override readonly name = 'EventQueueError';
}

/**
 * {@link EventQueue} over an SQS client.
 *
 * Ten events to a `SendMessageBatch`, each the JSON S3 itself sends, to the URL `queueUrl` gives
 * for a queue's name. Throws {@link EventQueueError} when the queue refuses any of them.
 */
export function sqsEventQueue(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: (queue: string) => string | Promise<string>,
): EventQueue {
  return {
    async send(queue, events) {
      const url = await queueUrl(queue);
      for (let start = 0; start < events.length; start += 10) {
        const { Failed } = await sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: url,
            Entries: events.slice(start, start + 10).map((event, index) => ({
              Id: String(index),
              MessageBody: JSON.stringify(event),
            })),
          }),
        );
        const first = Failed?.[0];
        if (first) {
          throw new EventQueueError(
            `${queue} refused ${Failed.length} of the events sent to it (${first.Code}: ${first.Message ?? 'no reason given'}); send them again`,
          );
        }
      }
    },
  };
}

/**
 * How many messages an SQS queue holds (visible, in flight and delayed), by its name.
 *
 * From `GetQueueAttributes`: SQS's own approximate counts.
 */
export function sqsQueueDepth(
  sqs: Pick<SQSClient, 'send'>,
  queueUrl: (queue: string) => string | Promise<string>,
): (queue: string) => Promise<number> {
  return async (queue) => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: await queueUrl(queue),
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return (
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0)
    );
  };
}
