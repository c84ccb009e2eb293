import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import { testAws } from '@totes/test-harness';
import { afterAll, describe, expect, it } from 'vitest';
import { awsClients, lambdaSqsEvent, provisionPipeline } from '../src/index';

describe('provisioning a deployment that exists already', () => {
  const aws = testAws();
  const clients = awsClients(aws);
  const resources = pipelineResources(resourceNames(aws.prefix));
  afterAll(() => clients.destroy());

  it('finds what exists and brings the settings of its queues up to date', async () => {
    const first = await provisionPipeline(clients, resources, { visibilityTimeoutSeconds: () => 5 });
    const again = await provisionPipeline(clients, resources, { visibilityTimeoutSeconds: () => 7 });

    expect([...again.queueUrls.entries()]).toEqual([...first.queueUrls.entries()]);
    expect([...again.topicArns.entries()]).toEqual([...first.topicArns.entries()]);
    const queue = resources.queues.find((candidate) => candidate.fifo);
    const url = queue && again.queueUrls.get(queue.name);
    if (!url) throw new Error('no FIFO queue was provisioned');
    const { Attributes } = await clients.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout', 'FifoQueue'] }),
    );
    expect(Attributes).toMatchObject({ VisibilityTimeout: '7', FifoQueue: 'true' });
  });
});

describe('the event Lambda passes a function for received SQS messages', () => {
  const arn = 'arn:aws:sqs:eu-west-2:000000000000:local-load-dim_staff';

  it('carries each message with its attributes, FIFO ones included', () => {
    const event = lambdaSqsEvent(
      [
        {
          MessageId: 'm-1',
          ReceiptHandle: 'r-1',
          Body: '{"Records":[]}',
          MD5OfBody: 'md5',
          Attributes: {
            ApproximateReceiveCount: '3',
            SentTimestamp: '1730711700000',
            SenderId: 'sender',
            ApproximateFirstReceiveTimestamp: '1730711701000',
            MessageGroupId: 'sales_order',
            MessageDeduplicationId: 'dedup',
            SequenceNumber: '42',
          },
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'extract' },
            blob: { DataType: 'Binary' },
          },
        },
      ],
      arn,
      'eu-west-2',
    );
    expect(event.Records).toEqual([
      {
        messageId: 'm-1',
        receiptHandle: 'r-1',
        body: '{"Records":[]}',
        attributes: {
          ApproximateReceiveCount: '3',
          SentTimestamp: '1730711700000',
          SenderId: 'sender',
          ApproximateFirstReceiveTimestamp: '1730711701000',
          MessageGroupId: 'sales_order',
          MessageDeduplicationId: 'dedup',
          SequenceNumber: '42',
        },
        messageAttributes: {
          kind: { dataType: 'String', stringValue: 'extract' },
          blob: { dataType: 'Binary' },
        },
        md5OfBody: 'md5',
        eventSource: 'aws:sqs',
        eventSourceARN: arn,
        awsRegion: 'eu-west-2',
      },
    ]);
  });

  it('fills in what a bare message leaves out, as a first receive', () => {
    const [record] = lambdaSqsEvent([{}], arn, 'eu-west-2').Records;
    expect(record).toMatchObject({
      messageId: '',
      receiptHandle: '',
      body: '',
      md5OfBody: '',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: '0',
        SenderId: '',
        ApproximateFirstReceiveTimestamp: '0',
      },
      messageAttributes: {},
    });
    expect(record?.attributes).not.toHaveProperty('MessageGroupId');
  });
});
