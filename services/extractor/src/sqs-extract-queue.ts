import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { extractMessage } from '@totes/pipeline';
import type { ExtractQueue } from './modes/continuation';

/** An {@link ExtractQueue} over a FIFO SQS queue (`MessageGroupId` = table). */
export function sqsExtractQueue(sqs: Pick<SQSClient, 'send'>, queueUrl: string): ExtractQueue {
  return {
    async send(continuation) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          ...extractMessage(continuation.request, continuation.deduplicationId),
        }),
      );
    },
  };
}
