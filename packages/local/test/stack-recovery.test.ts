import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { objectsCreated } from '@totes/pipeline';
import { useTestDatabase } from '@totes/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notificationOutbox, startLocalStack } from '../src/index';

describe('a local stack started after an earlier run stopped mid-work', () => {
  const totesys = useTestDatabase('recovery_src');
  const warehouse = useTestDatabase('recovery_wh');
  let dataDir: string;
  const start = () => startLocalStack({ dataDir, totesysUrl: totesys.url, warehouseUrl: warehouse.url });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-recovery-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('hands back at once every message a run was holding when it stopped', async () => {
    const first = await start();
    const queueUrl = first.queueUrl(first.names.queue('transform', 'dim_design'));
    await first.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'held' }));
    await first.clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'deleted' }));
    const { Messages = [] } = await first.clients.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    expect(Messages.map((message) => message.Body).sort()).toEqual(['deleted', 'held']);
    // "deleted" was processed to the end; "held" was still being processed when the run stopped.
    const deleted = Messages.find((message) => message.Body === 'deleted');
    await first.clients.sqs.send(
      new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: deleted?.ReceiptHandle ?? '' }),
    );
    await first.stop();

    const second = await start();
    try {
      expect(second.recovery.messagesHandedBack).toBe(1);
      const { Messages: again = [] } = await second.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: second.queueUrl(second.names.queue('transform', 'dim_design')),
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      // Visible again now, not after the queue's six-minute visibility timeout.
      expect(again.map((message) => message.Body)).toEqual(['held']);
      for (const message of again) {
        await second.clients.sqs.send(
          new DeleteMessageCommand({
            QueueUrl: second.queueUrl(second.names.queue('transform', 'dim_design')),
            ReceiptHandle: message.ReceiptHandle ?? '',
          }),
        );
      }
    } finally {
      await second.stop();
    }
  });

  it('publishes the events of objects it had written but not yet announced', async () => {
    const first = await start();
    const bucket = first.names.ingestBucket;
    const key = 'design/snapshots/20241104T091502345-00000000000000000000000000000018.jsonl.zst';
    // Written straight to the emulator: the object exists, its event was never published.
    await first.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
    await first.stop();
    notificationOutbox(join(dataDir, 'aws', 'notification-outbox.log')).owe({
      bucket,
      key,
      eventName: 'ObjectCreated:Put',
    });

    const second = await start();
    try {
      expect(second.recovery.notificationsReplayed).toBe(1);
      const { Messages = [] } = await second.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: second.queueUrl(second.names.queue('transform', 'dim_design')),
          WaitTimeSeconds: 2,
        }),
      );
      expect(Messages.flatMap((message) => objectsCreated(message.Body ?? '')).map((o) => o.key)).toEqual([
        key,
      ]);
    } finally {
      await second.stop();
    }
    const third = await start();
    try {
      expect(third.recovery.notificationsReplayed).toBe(0);
    } finally {
      await third.stop();
    }
  });
});
