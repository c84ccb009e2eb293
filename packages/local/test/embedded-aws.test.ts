import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
