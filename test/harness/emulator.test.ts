import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { objectsCreated, s3Event } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { useTestPipeline } from './index';

describe('the provisioned pipeline on the AWS emulator', () => {
  const pipeline = useTestPipeline();

  async function receive(queue: string, visibilityTimeout?: number): Promise<Message[]> {
    const { sqs } = pipeline().clients;
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pipeline().queueUrl(queue),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 0,
        ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }),
      }),
    );
    return Messages ?? [];
  }

  it('stores an object in a bucket and gives it back', async () => {
    const { s3 } = pipeline().clients;
    const Bucket = pipeline().names.ingestBucket;
    const Key = 'staff/snapshots/20241104T091502345-0123456789abcdef.jsonl';
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: '{"staff_id":1}\n' }));
    const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await object.Body?.transformToString()).toBe('{"staff_id":1}\n');
  });

  it('delivers an S3 notification published to a topic only to the queues whose filter matches its key', async () => {
    const { sns } = pipeline().clients;
    const { names, provisioned } = pipeline();
    const event = s3Event({
      bucket: names.ingestBucket,
      key: 'department/snapshots/20241104T091502345-0123456789abcdef.jsonl',
      size: 100,
      eTag: 'abc',
      region: pipeline().aws.region,
      eventTime: new Date(),
      sequencer: '01',
    });
    await sns.send(
      new PublishCommand({
        TopicArn: provisioned.topicArns.get(names.ingestTopic),
        Subject: 'Amazon S3 Notification',
        Message: JSON.stringify(event),
      }),
    );

    const matching = await receive(names.queue('transform', 'dim_staff'));
    expect(matching).toHaveLength(1);
    expect(objectsCreated(matching[0]?.Body ?? '')).toEqual([
      expect.objectContaining({ key: 'department/snapshots/20241104T091502345-0123456789abcdef.jsonl' }),
    ]);
    for (const other of ['dim_counterparty', 'dim_location', 'fact_sales_order'] as const) {
      expect(await receive(names.queue('transform', other))).toEqual([]);
    }
  });

  it(`moves a message that fails maxReceiveCount times to the queue's DLQ`, async () => {
    const { sns } = pipeline().clients;
    const { names, provisioned, resources } = pipeline();
    const queue = resources.queues.find((q) => q.name === names.queue('load', 'dim_location'));
    if (!queue) throw new Error('the load queue of dim_location is not declared');
    await sns.send(
      new PublishCommand({
        TopicArn: provisioned.topicArns.get(names.processedTopic),
        Message: JSON.stringify(
          s3Event({
            bucket: names.processedBucket,
            key: 'dim_location/g1/address=20241104T091502345-0123456789abcdef.parquet',
            size: 1,
            eTag: 'e',
            region: pipeline().aws.region,
            eventTime: new Date(),
            sequencer: '02',
          }),
        ),
      }),
    );

    // Each receive without a delete is a failed attempt; a zero visibility timeout retries at once.
    for (let attempt = 1; attempt <= queue.maxReceiveCount; attempt += 1) {
      expect(await receive(queue.name, 0)).toHaveLength(1);
    }
    expect(await receive(queue.name, 0)).toEqual([]);
    const dead = await receive(queue.deadLetterQueue);
    expect(dead).toHaveLength(1);
    expect(objectsCreated(dead[0]?.Body ?? '')[0]?.key).toBe(
      'dim_location/g1/address=20241104T091502345-0123456789abcdef.parquet',
    );
  });
});
