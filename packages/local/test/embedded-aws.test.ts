import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import {
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsClients, awsClients, type EmbeddedAws, startEmbeddedAws } from '../src/index';

describe('the embedded AWS emulator, kept in a data directory as the local stack runs it', () => {
  let dir: string;
  let aws: EmbeddedAws;
  let clients: AwsClients;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-embedded-aws-'));
    aws = await startEmbeddedAws({ dataDir: dir });
    clients = awsClients(aws);
  });
  afterAll(async () => {
    clients.destroy();
    await aws.stop();
    await rm(dir, { recursive: true, force: true });
  });

  // The loader hands a message back at once (visibility 0) for bad input and on its last
  // attempt, so that it reaches the DLQ without waiting; fauxqs 2.4.1 lost such a message when
  // persisting (packages/local/patches).
  it('gives a message back at once when its visibility is set to 0, counting its receives', async () => {
    const { QueueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: 'visibility-zero' }));
    await clients.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'again' }));
    const receive = () =>
      clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl,
          VisibilityTimeout: 30,
          WaitTimeSeconds: 1,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
    const first = (await receive()).Messages?.[0];
    await clients.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: first?.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    const second = (await receive()).Messages?.[0];

    expect(second?.Body).toBe('again');
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  // A `kill -9` while the emulator wrote an object's metadata once left a truncated file, and the
  // next start failed with "Unexpected end of JSON input" (packages/local/patches).
  it('writes each object whole, and starts again over a metadata file a crash cut short', async () => {
    const bucket = 'crash-bucket';
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const key of ['kept/a.json', 'cut/b.json']) {
      await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `{"key":"${key}"}` }));
    }
    const files = (await readdir(join(dir, 's3'), { recursive: true })).map(String);
    // Nothing half-written is left beside the objects.
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    const cut = files.find((file) => file.includes('cut') && file.endsWith('.meta.json'));
    expect(cut).toBeDefined();
    await writeFile(join(dir, 's3', cut ?? ''), '{"key":"cut/b.js');

    clients.destroy();
    await aws.stop();
    aws = await startEmbeddedAws({ dataDir: dir });
    clients = awsClients(aws);

    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(['kept/a.json']);
    const kept = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'kept/a.json' }));
    expect(await kept.Body?.transformToString()).toBe('{"key":"kept/a.json"}');
  });
});
