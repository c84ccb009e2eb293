import { CopyObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type Message, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { Upload } from '@aws-sdk/lib-storage';
import { objectsCreated } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createdObjectOf,
  type S3NotificationProxy,
  s3EventFanOut,
  startS3NotificationProxy,
} from '../src/index';

describe('createdObjectOf', () => {
  it.each([
    [
      'PUT',
      '/b/staff/snapshots/x.jsonl?x-id=PutObject',
      {},
      { bucket: 'b', key: 'staff/snapshots/x.jsonl', eventName: 'ObjectCreated:Put' },
    ],
    [
      'PUT',
      '/b/a%3Db.parquet',
      { 'x-amz-copy-source': '/b/c' },
      { bucket: 'b', key: 'a=b.parquet', eventName: 'ObjectCreated:Copy' },
    ],
    [
      'POST',
      '/b/k?uploadId=123',
      {},
      { bucket: 'b', key: 'k', eventName: 'ObjectCreated:CompleteMultipartUpload' },
    ],
  ])('sees %s %s as a new object', (method, url, headers, expected) => {
    expect(createdObjectOf(method, url, headers)).toEqual(expected);
  });

  it.each([
    ['GET', '/b/k'],
    ['PUT', '/b'],
    ['PUT', '/b/k?partNumber=1&uploadId=1'],
    ['PUT', '/b/k?tagging'],
    ['PUT', '/b/k?x-id=PutObjectTagging&tagging'],
    ['POST', '/b/k?uploads'],
    ['DELETE', '/b/k'],
    ['POST', '/'],
  ])('ignores %s %s', (method, url) => {
    expect(createdObjectOf(method, url, {})).toBeUndefined();
  });
});

describe('the S3 notification proxy in front of the emulator', () => {
  const pipeline = useTestPipeline();
  let proxy: S3NotificationProxy;
  let s3: S3Client;

  beforeAll(async () => {
    const { aws, clients, names, provisioned } = pipeline();
    const topicOfBucket = new Map(
      pipeline().resources.notifications.map(({ bucket, topic }) => [
        bucket,
        provisioned.topicArns.get(topic) ?? '',
      ]),
    );
    const fanOut = s3EventFanOut({ s3: clients.s3, sns: clients.sns, region: aws.region, topicOfBucket });
    proxy = await startS3NotificationProxy({
      target: aws.endpoint,
      onCreated: fanOut,
    });
    s3 = new S3Client({
      endpoint: proxy.endpoint,
      region: aws.region,
      credentials: aws.credentials,
      forcePathStyle: true,
    });
    expect(names.ingestBucket).toBeTruthy();
  });
  afterAll(async () => {
    s3?.destroy();
    await proxy?.stop();
  });

  async function receiveAll(queue: string, atLeast: number): Promise<Message[]> {
    const messages: Message[] = [];
    for (let attempt = 0; attempt < 20 && messages.length < atLeast; attempt += 1) {
      const { Messages } = await pipeline().clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: pipeline().queueUrl(queue),
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      messages.push(...(Messages ?? []));
    }
    return messages;
  }

  it('announces a new object to the queues whose filter matches, as S3 does through SNS', async () => {
    const { names } = pipeline();
    const key = 'address/snapshots/20241104T091502345-0123456789abcdef.jsonl';
    await s3.send(new PutObjectCommand({ Bucket: names.ingestBucket, Key: key, Body: '{"address_id":1}\n' }));

    for (const target of ['dim_location', 'dim_counterparty'] as const) {
      const [message, ...rest] = await receiveAll(names.queue('transform', target), 1);
      expect(rest).toEqual([]);
      expect(objectsCreated(message?.Body ?? '')).toEqual([
        { bucket: names.ingestBucket, key, size: 17, eTag: expect.any(String) },
      ]);
    }
    const body = await s3.send(new GetObjectCommand({ Bucket: names.ingestBucket, Key: key }));
    expect(await body.Body?.transformToString()).toBe('{"address_id":1}\n');
  });

  it('announces a multipart upload once, when it completes, and a copy', async () => {
    const { names } = pipeline();
    const key =
      'fact_payment/g1/payment/changes/00000000T000000000-0000000000_20241104T091502345-0000000001.parquet';
    const upload = new Upload({
      client: s3,
      params: { Bucket: names.processedBucket, Key: key, Body: Buffer.alloc(12 * 1024 * 1024, 1) },
      partSize: 6 * 1024 * 1024,
    });
    await upload.done();
    const copy = key.replace('/g1/', '/g2/');
    await s3.send(
      new CopyObjectCommand({
        Bucket: names.processedBucket,
        Key: copy,
        CopySource: `${names.processedBucket}/${key}`,
      }),
    );

    const messages = await receiveAll(names.queue('load', 'fact_payment'), 2);
    const keys = messages
      .flatMap((message) => objectsCreated(message.Body ?? ''))
      .map((object) => object.key);
    expect(keys.sort()).toEqual([key, copy].sort());
    expect(messages.flatMap((message) => objectsCreated(message.Body ?? ''))[0]?.size).toBe(12 * 1024 * 1024);
  });
});
