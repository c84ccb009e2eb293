import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { type ExtractRequest, extractMessage, parseIngestKey } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { sqsExtractQueue } from '../src/sqs-extract-queue';
import {
  extractorSessions,
  keysOf,
  recordingQueue,
  rowsOf,
  sourceRows,
  useExtractorTestbed,
} from './extractor-testbed';
import { drainQueue } from './queue-driver';

describe('a run longer than its time budget', () => {
  const testbed = useExtractorTestbed();

  it.each([
    ['incremental', 'sales_order', {}],
    ['full', 'purchase_order', { run: '20241104T091502345' }],
    ['sweep', 'transaction', { run: '20241104T091502345' }],
  ] as const)(
    'continues a %s run through its FIFO queue, one chunk per invocation, until done',
    async (mode, table, extra) => {
      const totesys = await testbed.totesys({ scale: 0.005 });
      const store = await testbed.bucket();
      const { sqs } = testbed.pipeline().clients;
      const queueUrl = testbed.pipeline().queueUrl(testbed.pipeline().names.queue('extract', table));
      const extract = testbed.handler(
        totesys,
        store,
        { table, chunkRows: 20, sweepBucketRows: 10, timeBudgetMs: 1 },
        { queue: sqsExtractQueue(sqs, queueUrl) },
      );
      const request = { mode, table, ...extra } as ExtractRequest;
      await sqs.send(
        new SendMessageCommand({ QueueUrl: queueUrl, ...extractMessage(request, `start-${mode}`) }),
      );

      const handled = await drainQueue(sqs, queueUrl, extract.lambda);

      const expected = await sourceRows(totesys.client, table);
      const keys = await keysOf(store, `${table}/`);
      expect(handled).toHaveLength(Math.ceil(expected.length / 20));
      expect(keys).toHaveLength(handled.length);
      const kinds = keys
        .map((key) => parseIngestKey(key))
        .map((key) => ('reason' in key ? key.reason : key.kind));
      expect(new Set(kinds)).toEqual(new Set([mode === 'incremental' ? 'initial' : mode]));
      const rows = (await Promise.all(keys.map((key) => rowsOf(store, key)))).flat();
      expect(
        rows.sort(
          (a, b) =>
            Number(a.transaction_id ?? a.sales_order_id ?? a.purchase_order_id) -
            Number(b.transaction_id ?? b.sales_order_id ?? b.purchase_order_id),
        ),
      ).toEqual(expected);
    },
  );

  it('stops reading mid-statement when out of time, and leaves no session behind', async () => {
    const totesys = await testbed.totesys({ scale: 0.2 });
    const store = await testbed.bucket();
    const queue = recordingQueue();
    const extract = testbed.handler(
      totesys,
      store,
      { table: 'payment', chunkRows: 50, timeBudgetMs: 1 },
      { queue },
    );

    const response = await extract({ mode: 'incremental', table: 'payment' });

    expect(response.batchItemFailures).toEqual([]);
    expect(await keysOf(store, 'payment/')).toHaveLength(1);
    expect(queue.sent.map((continuation) => continuation.request)).toEqual([
      { mode: 'incremental', table: 'payment' },
    ]);
    expect(await extractorSessions(totesys, 'payment')).toBe(0);
  });
});
