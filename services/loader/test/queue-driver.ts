import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SqsHandler } from '@totes/runtime';
import type { Context, SQSRecord } from 'aws-lambda';

/** Runs a handler on a real queue the way Lambda's SQS event source does. */
export interface QueueDriver {
  /** Receives one batch (up to 10), invokes the handler and deletes the messages that succeeded. */
  poll(): Promise<{ readonly received: number; readonly failed: number }>;
  /** Polls until the queue holds no message, visible or in flight (throws after `timeoutMs`). */
  drain(timeoutMs?: number): Promise<void>;
}

const context = {
  functionName: 'load-test',
  awsRequestId: 'test',
  getRemainingTimeInMillis: () => 300_000,
} as unknown as Context;

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`no ARN for ${url}`);
  return Attributes.QueueArn;
}

function record(message: Message, arn: string, region: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? randomUUID(),
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'test',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: region,
  };
}

/** A {@link QueueDriver} for the queue at `url`. */
export function queueDriver(sqs: SQSClient, url: string, handler: SqsHandler, region: string): QueueDriver {
  let arn: Promise<string> | undefined;
  async function poll() {
    arn ??= queueArn(sqs, url);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return { received: 0, failed: 0 };
    const records = Messages.map((message) => record(message, '', region));
    const source = await arn;
    const event = { Records: records.map((r) => ({ ...r, eventSourceARN: source })) };
    const { batchItemFailures } = await handler(event, context);
    const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
    const done = event.Records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: url,
          Entries: done.map((r, index) => ({ Id: String(index), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
    return { received: Messages.length, failed: failed.size };
  }
  return {
    poll,
    async drain(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const { received } = await poll();
        if (received > 0) continue;
        const { Attributes = {} } = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
          }),
        );
        const left =
          Number(Attributes.ApproximateNumberOfMessages ?? 0) +
          Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
        if (left === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the queue ${url} was not drained within ${timeoutMs} ms`);
    },
  };
}

/** Takes every message out of a queue (a DLQ), deleting them. */
export async function takeAll(sqs: SQSClient, url: string): Promise<Message[]> {
  const taken: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        VisibilityTimeout: 30,
      }),
    );
    if (Messages.length === 0) return taken;
    for (const message of Messages) {
      taken.push(message);
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle }));
    }
  }
}

/** Moves every message of a DLQ back to its queue, as a redrive does. */
export async function redrive(sqs: SQSClient, deadLetterUrl: string, queueUrl: string): Promise<number> {
  const messages = await takeAll(sqs, deadLetterUrl);
  for (const message of messages) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: message.Body ?? '' }));
  }
  return messages.length;
}
