import { parseIngestKey } from '@totes/pipeline';
import { silentEdit } from '@totes/totesys-sim';
import { describe, expect, it } from 'vitest';
import { objectStateStore } from '../src/store/object-state-store';
import {
  keysOf,
  recordingLogger,
  recordingQueue,
  rowsOf,
  sourceRows,
  useExtractorTestbed,
} from './extractor-testbed';

describe('a sweep of an event table', () => {
  const testbed = useExtractorTestbed();

  /** Sales orders extracted and swept once, in buckets of 10 keys, with what the extractor logged. */
  async function sweptOnce() {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const logger = recordingLogger();
    const extract = testbed.handler(
      totesys,
      store,
      { table: 'sales_order', sweepBucketRows: 10 },
      { logger },
    );
    await extract({ mode: 'incremental', table: 'sales_order' });
    await extract({ mode: 'sweep', table: 'sales_order', run: '20241104T090000000' });
    return { totesys, store, logger, extract };
  }

  it('finds a row edited without a last_updated change and re-extracts only its bucket', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order', sweepBucketRows: 10 });
    await extract({ mode: 'incremental', table: 'sales_order' });
    await extract({ mode: 'sweep', table: 'sales_order', run: '20241104T090000000' });
    const incrementalKeys = await keysOf(store, 'sales_order/changes/');

    const edit = await silentEdit(totesys.client, { table: 'sales_order', id: 37 });
    await extract({ mode: 'incremental', table: 'sales_order' });
    await extract({ mode: 'sweep', table: 'sales_order', run: '20241104T100000000' });

    expect(await keysOf(store, 'sales_order/changes/')).toEqual(incrementalKeys);
    const found = await keysOf(store, 'sales_order/sweep/20241104T100000000/');
    expect(found.map((key) => parseIngestKey(key))).toEqual([
      {
        kind: 'rescan',
        table: 'sales_order',
        reason: 'sweep',
        run: '20241104T100000000',
        firstId: 31,
        lastId: 40,
      },
    ]);
    const rows = await rowsOf(store, found[0] ?? '');
    const expected = (await sourceRows(totesys.client, 'sales_order')).slice(30, 40);
    expect(rows).toEqual(expected);
    expect(rows.find((row) => row.sales_order_id === 37)?.agreed_delivery_date).toBe(edit.after);
    expect((await store.head(found[0] ?? ''))?.metadata).toMatchObject({
      rows: '10',
      reason: 'sweep',
      'first-id': '31',
      'last-id': '40',
    });
  });

  it('finds nothing to re-extract at the first sweep after the first extraction', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'payment', sweepBucketRows: 10 });
    await extract({ mode: 'incremental', table: 'payment' });
    const { sweep: recorded } = await objectStateStore(store).read('payment');
    const rows = await sourceRows(totesys.client, 'payment');

    await extract({ mode: 'sweep', table: 'payment', run: '20241104T090000000' });

    expect(recorded).toMatchObject({ bucketRows: 10, run: null });
    expect(recorded?.hashes).toHaveLength(Math.ceil(rows.length / 10));
    expect(recorded?.hashes.every((hash) => typeof hash === 'string')).toBe(true);
    expect(await keysOf(store, 'payment/sweep/')).toEqual([]);
    const { sweep } = await objectStateStore(store).read('payment');
    expect(sweep).toMatchObject({ run: '20241104T090000000', hashes: recorded?.hashes });
  });

  it('finds, at the first sweep, a row edited silently after the first extraction', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order', sweepBucketRows: 10 });
    await extract({ mode: 'incremental', table: 'sales_order' });

    const edit = await silentEdit(totesys.client, { table: 'sales_order', id: 23 });
    await extract({ mode: 'incremental', table: 'sales_order' });
    await extract({ mode: 'sweep', table: 'sales_order', run: '20241104T090000000' });

    const found = await keysOf(store, 'sales_order/sweep/');
    expect(found).toEqual(['sales_order/sweep/20241104T090000000/0000000021-0000000030.jsonl.zst']);
    const rows = await rowsOf(store, found[0] ?? '');
    expect(rows).toEqual((await sourceRows(totesys.client, 'sales_order')).slice(20, 30));
    expect(rows.find((row) => row.sales_order_id === 23)?.agreed_delivery_date).toBe(edit.after);
  });

  it('re-extracts at the first sweep only the buckets split between two pages of the first extraction', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, {
      table: 'transaction',
      sweepBucketRows: 10,
      queryRows: 45,
      chunkRows: 15,
    });
    await extract({ mode: 'incremental', table: 'transaction' });
    const rows = await sourceRows(totesys.client, 'transaction');
    expect(rows.length).toBeGreaterThan(100);

    await extract({ mode: 'sweep', table: 'transaction', run: '20241104T090000000' });

    // Pages of 45 keys end at 45, 90, 135…: the buckets of keys 41–50, 81–90 (whole: 90 ends a
    // bucket and a page), 131–140… straddle two pages when a page ends inside them.
    const split = [];
    for (let end = 45; end < rows.length; end += 45)
      if (end % 10 !== 0) split.push(`${end - (end % 10) + 1}`.padStart(10, '0'));
    const found = await keysOf(store, 'transaction/sweep/');
    expect(found.map((key) => key.split('/').at(-1)?.slice(0, 10))).toEqual(split);
  });

  it('hashes again the content of only the buckets whose rows were written since the last sweep', async () => {
    const { totesys, store, logger, extract } = await sweptOnce();
    // Written again with the same values (a new row version, the same content), and silently edited.
    await totesys.client.query('UPDATE sales_order SET units_sold = units_sold WHERE sales_order_id = 5');
    await silentEdit(totesys.client, { table: 'sales_order', id: 57 });

    await extract({ mode: 'sweep', table: 'sales_order', run: '20241104T100000000' });

    const sweeps = logger.lines.filter(
      (line) => line.message === 'extracted' && line.fields.mode === 'sweep',
    );
    const buckets = Math.ceil((await sourceRows(totesys.client, 'sales_order')).length / 10);
    expect(sweeps.map((line) => [line.fields.bucketsHashed, line.fields.bucketsContentHashed])).toEqual([
      [buckets, 0],
      [buckets, 2],
    ]);
    // The second looked for the buckets written since the first (at least those two; more when
    // a transaction of another test on this server was open at the first, which holds back the
    // transaction its record is complete before) instead of reading every bucket's versions.
    expect(sweeps[1]?.fields.bucketsWritten).toBeGreaterThanOrEqual(2);
    expect(await keysOf(store, 'sales_order/sweep/')).toEqual([
      'sales_order/sweep/20241104T100000000/0000000051-0000000060.jsonl.zst',
    ]);
  });

  it('finds an edit made, while a sweep goes on over several requests, to a bucket it has passed', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const queue = recordingQueue();
    const settings = { table: 'sales_order', sweepBucketRows: 10, chunkRows: 20 } as const;
    await testbed.handler(totesys, store, settings)({ mode: 'incremental', table: 'sales_order' });
    await testbed.handler(
      totesys,
      store,
      settings,
    )({ mode: 'sweep', table: 'sales_order', run: '20241104T090000000' });
    // Every row written again: each request of the next run reads two buckets and stops.
    await totesys.client.query('UPDATE sales_order SET units_sold = units_sold');
    const stepwise = testbed.handler(totesys, store, { ...settings, timeBudgetMs: 1 }, { queue });
    await stepwise({ mode: 'sweep', table: 'sales_order', run: '20241104T100000000' });
    expect((await objectStateStore(store).read('sales_order')).sweep?.afterBucket).toBe(1);

    const edit = await silentEdit(totesys.client, { table: 'sales_order', id: 7 });
    for (let sent = 0; sent < queue.sent.length; sent += 1) await stepwise(queue.sent[sent]?.request ?? {});
    expect(queue.sent.length).toBeGreaterThan(2);
    await testbed.handler(
      totesys,
      store,
      settings,
    )({ mode: 'sweep', table: 'sales_order', run: '20241104T110000000' });

    const found = await keysOf(store, 'sales_order/sweep/20241104T110000000/');
    expect(found.map((key) => key.split('/').at(-1))).toEqual(['0000000001-0000000010.jsonl.zst']);
    const rows = await rowsOf(store, found[0] ?? '');
    expect(rows.find((row) => row.sales_order_id === 7)?.agreed_delivery_date).toBe(edit.after);
  });

  it('reads every bucket when its record names a transaction of another server, or one this server has not reached', async () => {
    const { totesys, store, logger, extract } = await sweptOnce();
    const state = await objectStateStore(store).read('sales_order');
    const [server, xid] = (state.sweep?.writtenBefore ?? '').split(':');
    expect(server).toMatch(/^\d+\.\d+\.\d+$/);
    expect(xid).toMatch(/^\d+$/);
    const marks = {
      ahead: `${server}:900000000000`,
      'another server': `1.1.1:${xid}`,
      'no server': `:${xid}`,
      'recorded before servers were': `${xid}`,
    };
    for (const [index, [name, mark]] of Object.entries(marks).entries()) {
      const recorded = await objectStateStore(store).read('sales_order');
      await objectStateStore(store).write('sales_order', {
        ...recorded,
        sweep: recorded.sweep && { ...recorded.sweep, writtenBefore: mark },
      });
      const edit = await silentEdit(totesys.client, { table: 'sales_order', id: 12 + index * 10 });
      const run = `2024110${5 + index}T100000000`;

      await extract({ mode: 'sweep', table: 'sales_order', run });

      const sweep = logger.lines
        .filter((line) => line.message === 'extracted' && line.fields.mode === 'sweep')
        .at(-1);
      expect(sweep?.fields.bucketsWritten, name).toBeNull();
      const found = await keysOf(store, `sales_order/sweep/${run}/`);
      expect(found, name).toHaveLength(1);
      const rows = await rowsOf(store, found[0] ?? '');
      expect(rows.find((row) => row.sales_order_id === 12 + index * 10)?.agreed_delivery_date, name).toBe(
        edit.after,
      );
      expect((await objectStateStore(store).read('sales_order')).sweep?.writtenBefore, name).toMatch(
        new RegExp(`^${server?.replaceAll('.', '\\.')}:\\d+$`),
      );
    }
  });

  it('leaves a table to its first extraction while it is under way, then finds nothing new', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const queue = recordingQueue();
    const extract = testbed.handler(
      totesys,
      store,
      { table: 'payment', sweepBucketRows: 10, queryRows: 50, chunkRows: 50, timeBudgetMs: 1 },
      { queue },
    );
    await extract({ mode: 'incremental', table: 'payment' });
    expect(queue.sent).toHaveLength(1);

    await extract({ mode: 'sweep', table: 'payment', run: '20241104T090000000' });
    const deferred = await objectStateStore(store).read('payment');
    for (let sent = 0; sent < queue.sent.length; sent += 1) await extract(queue.sent[sent]?.request ?? {});
    await extract({ mode: 'sweep', table: 'payment', run: '20241104T100000000' });

    expect(deferred.sweep?.run).toBeNull();
    expect(deferred.watermark).toBeNull();
    expect(await keysOf(store, 'payment/sweep/')).toEqual([]);
    const { sweep, watermark } = await objectStateStore(store).read('payment');
    expect(watermark).not.toBeNull();
    expect(sweep).toMatchObject({ bucketRows: 10, run: '20241104T100000000' });
  });

  it('re-extracts every bucket the first time, having nothing to compare with', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'payment', sweepBucketRows: 100 });

    await extract({ mode: 'sweep', table: 'payment', run: '20241104T090000000' });
    await extract({ mode: 'sweep', table: 'payment', run: '20241104T100000000' });

    const keys = await keysOf(store, 'payment/sweep/');
    const rows = (await Promise.all(keys.map((key) => rowsOf(store, key)))).flat();
    expect(rows).toEqual(await sourceRows(totesys.client, 'payment'));
    expect(keys.every((key) => key.startsWith('payment/sweep/20241104T090000000/'))).toBe(true);
    const { sweep } = await objectStateStore(store).read('payment');
    expect(sweep).toMatchObject({ bucketRows: 100, run: '20241104T100000000' });
    expect(sweep?.hashes.length).toBe(Math.ceil(rows.length / 100));
  });

  it('does nothing when asked again to sweep a run it has finished, and finds the change in the next run', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'transaction', sweepBucketRows: 50 });
    await extract({ mode: 'sweep', table: 'transaction', run: '20241104T090000000' });
    const keys = await keysOf(store, 'transaction/');

    await totesys.client.query(
      `UPDATE "transaction" SET created_at = created_at - interval '1 second' WHERE transaction_id = 60`,
    );
    await extract({ mode: 'sweep', table: 'transaction', run: '20241104T090000000' });
    const afterRepeat = await keysOf(store, 'transaction/');
    await extract({ mode: 'sweep', table: 'transaction', run: '20241104T100000000' });

    expect(afterRepeat).toEqual(keys);
    expect(await keysOf(store, 'transaction/sweep/20241104T100000000/')).toEqual([
      'transaction/sweep/20241104T100000000/0000000051-0000000100.jsonl.zst',
    ]);
  });
});
