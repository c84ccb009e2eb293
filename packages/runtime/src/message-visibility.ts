import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** The fields of a received SQS message that locate it. */
export interface ReceivedMessage {
  readonly eventSourceARN: string;
  readonly receiptHandle: string;
}

/** Spaces the retries of a failed message, instead of waiting for the queue's visibility timeout. */
export interface MessageVisibility {
  /** Makes a received (and failed) message visible again after `seconds`. */
  retryAfter(message: ReceivedMessage, seconds: number): Promise<void>;
}

/**
 * {@link MessageVisibility} through SQS `ChangeMessageVisibility`.
 *
 * The queue URL is looked up once per queue from the message's ARN
 * (`arn:aws:sqs:<region>:<account>:<name>`).
 */
export function sqsMessageVisibility(sqs: Pick<SQSClient, 'send'>): MessageVisibility {
  const urls = new Map<string, Promise<string>>();
  function queueUrl(arn: string): Promise<string> {
    let url = urls.get(arn);
    if (!url) {
      const [, , , , account, name] = arn.split(':');
      if (!name || !account) throw new RangeError(`not an SQS queue ARN: ${arn}`);
      url = sqs
        .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: account }))
        .then(({ QueueUrl }) => {
          if (!QueueUrl) throw new Error(`SQS returned no URL for ${arn}`);
          return QueueUrl;
        });
      url.catch(() => urls.delete(arn));
      urls.set(arn, url);
    }
    return url;
  }
  return {
    async retryAfter(message, seconds) {
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: await queueUrl(message.eventSourceARN),
          ReceiptHandle: message.receiptHandle,
          VisibilityTimeout: Math.max(0, Math.round(seconds)),
        }),
      );
    },
  };
}
