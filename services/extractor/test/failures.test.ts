import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { extractMessage, parseIngestKey } from '@totes/pipeline';
import type { ObjectStore } from '@totes/runtime';
import { cachedConnectionString } from '@totes/runtime/database';
import { describe, expect, it } from 'vitest';
import { objectStateStore } from '../src/store/object-state-store';
import {
  extractorSessions,
  keysOf,
  recordingLogger,
  sqsRecord,
  useExtractorTestbed,
} from './extractor-testbed';

const good = JSON.stringify({ mode: 'incremental', table: 'sales_order' });
const malformed = '{"mode":"incremental"';

describe('a request that cannot be carried out', () => {
  const testbed = useExtractorTestbed();

  it('fails alone in its batch, and the good request beside it is extracted', async () => {
    const totesys = await testbed.totesys({ scale: 0.005 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order' });

    const response = await extract.lambda(
      { Records: [sqsRecord(good, 'good'), sqsRecord(malformed, 'poison')] },
      {} as never,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }]);
    expect(await keysOf(store, 'sales_order/')).not.toEqual([]);
  });

  it('holds back the rest of its FIFO batch, unprocessed, to be retried in order', async () => {
    const totesys = await testbed.totesys({ scale: 0.005 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order' });

    const response = await extract.lambda(
      { Records: [sqsRecord(malformed, 'poison'), sqsRecord(good, 'good')] },
      {} as never,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poison' }, { itemIdentifier: 'good' }]);
    expect(await keysOf(store, '')).toEqual([]);
  });

  it('when its query fails, writes nothing, logs the table and the cause, and is dead-lettered after its retries', async () => {
    const totesys = await testbed.totesys({ scale: 0.005 });
    await totesys.client.query('ALTER TABLE purchase_order RENAME TO purchase_order_gone');
    const store = await testbed.bucket();
    const logger = recordingLogger();
    const extract = testbed.handler(totesys, store, { table: 'purchase_order' }, { logger });
    const { sqs } = testbed.pipeline().clients;
    const { names, resources } = testbed.pipeline();
    const queue = resources.queues.find((q) => q.name === names.queue('extract', 'purchase_order'));
    const queueUrl = testbed.pipeline().queueUrl(queue?.name ?? '');
    const request = { mode: 'incremental', table: 'purchase_order' } as const;
    await sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, ...extractMessage(request, 'broken-source') }),
    );

    for (let attempt = 1; attempt <= (queue?.maxReceiveCount ?? 0); attempt += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }),
      );
      const records = Messages.map((message) => sqsRecord(message.Body ?? '', message.MessageId));
      expect((await extract.lambda({ Records: records }, {} as never)).batchItemFailures).toHaveLength(1);
    }
    const { Messages: left = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    const deadLetterUrl = testbed.pipeline().queueUrl(queue?.deadLetterQueue ?? '');
    const { Messages: dead = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterUrl }));

    expect(left).toEqual([]);
    expect(dead.map((message) => message.Body)).toEqual([JSON.stringify(request)]);
    expect(await keysOf(store, '')).toEqual([]);
    const failure = logger.lines.find((line) => line.message === 'extraction failed');
    expect(failure?.fields).toMatchObject({
      table: 'purchase_order',
      mode: 'incremental',
      error: {
        name: 'ExtractError',
        message: expect.stringContaining('purchase_order: incremental extraction failed'),
        cause: expect.stringContaining('relation "purchase_order" does not exist'),
      },
    });
  });

  it('when totesys cannot be reached, fails without writing anything', async () => {
    const totesys = await testbed.totesys();
    const store = await testbed.bucket();
    const unreachable = new URL(totesys.url);
    unreachable.port = '1';
    const extract = testbed.handler({ ...totesys, url: unreachable.toString() }, store, {
      table: 'currency',
    });

    const response = await extract({ mode: 'incremental', table: 'currency' });

    expect(response.batchItemFailures).toHaveLength(1);
    expect(await keysOf(store, '')).toEqual([]);
  });

  it('reads a rotated totesys secret again when the old password is refused, and extracts', async () => {
    const totesys = await testbed.totesys();
    const store = await testbed.bucket();
    const old = new URL(totesys.url);
    old.password = 'before-rotation';
    const secrets = [old.toString(), totesys.url];
    let reads = 0;
    const extract = testbed.handler(
      totesys,
      store,
      { table: 'currency' },
      {
        totesys: cachedConnectionString(async () => secrets[Math.min(reads++, secrets.length - 1)] as string),
      },
    );

    const response = await extract({ mode: 'incremental', table: 'currency' });

    expect(response.batchItemFailures).toEqual([]);
    expect(reads).toBe(2);
    expect(await keysOf(store, 'currency/')).toHaveLength(1);
  });

  it('when the bucket fails part-way through a long statement, fails at once and keeps what it wrote', async () => {
    const totesys = await testbed.totesys({ scale: 0.2 });
    const bucket = await testbed.bucket();
    let puts = 0;
    const store: ObjectStore = {
      ...bucket,
      async put(key, body, metadata) {
        if (!key.startsWith('_state/')) {
          puts += 1;
          if (puts === 2) throw new Error('S3 is unavailable');
        }
        return await bucket.put(key, body, metadata);
      },
    };
    const extract = testbed.handler(totesys, store, { table: 'payment', chunkRows: 50 });

    const response = await extract({ mode: 'incremental', table: 'payment' });

    expect(response.batchItemFailures).toHaveLength(1);
    const keys = await keysOf(bucket, 'payment/');
    expect(keys).toHaveLength(1);
    const { watermark, initial } = await objectStateStore(bucket).read('payment');
    expect(watermark).toBeNull();
    expect(parseIngestKey(keys[0] ?? '')).toMatchObject({ reason: 'initial', lastId: initial?.afterId });
    expect(await extractorSessions(totesys, 'payment')).toBe(0);
  });
});
