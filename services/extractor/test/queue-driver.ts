import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SqsHandler } from '@totes/runtime';
import { sqsRecord } from './extractor-testbed';

/**
 * Feeds a queue's messages to a handler one batch at a time, as Lambda's SQS event source does,
 * deleting those that succeed, until the queue is empty. Returns the bodies handled, in order.
 */
export async function drainQueue(
  sqs: SQSClient,
  queueUrl: string,
  handler: SqsHandler,
  limit = 100,
): Promise<string[]> {
  const handled: string[] = [];
  for (let batch = 0; batch < limit; batch += 1) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return handled;
    const records = Messages.map((message) => sqsRecord(message.Body ?? '', message.MessageId));
    const { batchItemFailures } = await handler({ Records: records }, {} as never);
    for (const message of Messages) {
      handled.push(message.Body ?? '');
      if (batchItemFailures.some((failure) => failure.itemIdentifier === message.MessageId)) continue;
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
  }
  throw new Error(`the queue was still not empty after ${limit} batches`);
}
