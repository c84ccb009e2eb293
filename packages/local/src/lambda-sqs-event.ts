import type { Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';

/** Builds the event Lambda's SQS event source mapping passes to a function, from received messages. */
export function lambdaSqsEvent(messages: readonly Message[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map(
      (message): SQSRecord => ({
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: {
          ApproximateReceiveCount: message.Attributes?.ApproximateReceiveCount ?? '1',
          SentTimestamp: message.Attributes?.SentTimestamp ?? '0',
          SenderId: message.Attributes?.SenderId ?? '',
          ApproximateFirstReceiveTimestamp: message.Attributes?.ApproximateFirstReceiveTimestamp ?? '0',
          ...(message.Attributes?.MessageGroupId
            ? { MessageGroupId: message.Attributes.MessageGroupId }
            : {}),
          ...(message.Attributes?.MessageDeduplicationId
            ? { MessageDeduplicationId: message.Attributes.MessageDeduplicationId }
            : {}),
          ...(message.Attributes?.SequenceNumber
            ? { SequenceNumber: message.Attributes.SequenceNumber }
            : {}),
        },
        messageAttributes: Object.fromEntries(
          Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
            name,
            {
              dataType: value.DataType ?? 'String',
              ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
            },
          ]),
        ),
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      }),
    ),
  };
}
