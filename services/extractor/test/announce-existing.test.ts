import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { objectsCreated } from '@totes/pipeline';
import { snsObjectAnnouncer } from '@totes/runtime';
import { describe, expect, it } from 'vitest';
import { objectStateStore } from '../src/store/object-state-store';
import type { StateStore } from '../src/store/state-store';
import { keysOf, recordingLogger, useExtractorTestbed } from './extractor-testbed';

/**
 * A state store whose second write fails, as a crash after the first object would (the first
 * write saves the commit horizon, before any object).
 */
function crashingAfterFirstObject(state: StateStore): StateStore {
  let writes = 0;
  return {
    read: (table) => state.read(table),
    async write(table, next) {
      writes += 1;
      if (writes === 2) throw new Error('the function was stopped before it saved its state');
      await state.write(table, next);
    },
  };
}

describe('an extractor that finds an object already written', () => {
  const testbed = useExtractorTestbed();

  it('announces it again to the ingest-events topic, so the transformers hear of it', async () => {
    const { names, clients, provisioned, queueUrl } = testbed.pipeline();
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const config = { table: 'sales_order', chunkRows: 25 } as const;
    const announcer = snsObjectAnnouncer({
      s3: clients.s3,
      sns: clients.sns,
      topicArn: provisioned.topicArns.get(names.ingestTopic) ?? '',
    });
    const crashing = testbed.handler(totesys, store, config, {
      state: crashingAfterFirstObject(objectStateStore(store)),
    });
    const logger = recordingLogger();
    const recovering = testbed.handler(totesys, store, config, { logger, announcer });

    expect((await crashing({ mode: 'incremental', table: 'sales_order' })).batchItemFailures).toHaveLength(1);
    // The crash lost the first object's notification: no event was published for it.
    const [written] = await keysOf(store, 'sales_order/');
    expect((await recovering({ mode: 'incremental', table: 'sales_order' })).batchItemFailures).toEqual([]);

    const line = logger.lines.find((entry) => entry.message === 'extracted');
    expect(line?.fields).toMatchObject({ existingObjects: [written], announcedAgain: 1 });
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(names.queue('transform', 'fact_sales_order')),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 2,
      }),
    );
    expect(Messages.flatMap((message) => objectsCreated(message.Body ?? ''))).toEqual([
      { bucket: store.bucket, key: written, size: expect.any(Number), eTag: expect.any(String) },
    ]);
  });
});
