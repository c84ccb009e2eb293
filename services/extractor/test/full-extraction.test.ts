import { parseIngestKey } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { keysOf, rowsOf, sourceRows, useExtractorTestbed } from './extractor-testbed';

describe('a full re-extraction of an event table', () => {
  const testbed = useExtractorTestbed();

  it('writes every row again by key as rescan objects of its run, leaving the watermark alone', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'purchase_order', chunkRows: 20 });
    await extract({ mode: 'incremental', table: 'purchase_order' });
    const changes = await keysOf(store, 'purchase_order/changes/');

    await extract({ mode: 'full', table: 'purchase_order', run: '20241104T091502345' });
    await extract({ mode: 'incremental', table: 'purchase_order' });

    const keys = await keysOf(store, 'purchase_order/full/');
    const expected = await sourceRows(totesys.client, 'purchase_order');
    expect(keys).toHaveLength(Math.ceil(expected.length / 20));
    expect(keys.map((key) => parseIngestKey(key))[0]).toEqual({
      kind: 'rescan',
      table: 'purchase_order',
      reason: 'full',
      run: '20241104T091502345',
      firstId: 1,
      lastId: 20,
    });
    expect((await Promise.all(keys.map((key) => rowsOf(store, key)))).flat()).toEqual(expected);
    expect(await keysOf(store, 'purchase_order/changes/')).toEqual(changes);
  });

  it('starts after the id a continuation carries', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'purchase_order' });

    await extract({ mode: 'full', table: 'purchase_order', run: '20241104T091502345', afterId: 30 });

    const [key] = await keysOf(store, 'purchase_order/full/');
    expect(parseIngestKey(key ?? '')).toMatchObject({ firstId: 31 });
  });
});
