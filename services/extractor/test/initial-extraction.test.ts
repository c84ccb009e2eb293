import {
  formatWatermark,
  fromCompactTimestamp,
  isReferenceTable,
  parseIngestKey,
  type SourceTableName,
  sourceTableNames,
  sourceTables,
} from '@totes/pipeline';
import { totesysTables } from '@totes/schema';
import { insertSalesOrder } from '@totes/totesys-sim';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectStateStore } from '../src/store/object-state-store';
import { keysOf, pause, rowsOf, sourceRows, type Totesys, useExtractorTestbed } from './extractor-testbed';

const byKey = (table: SourceTableName) => (a: Record<string, unknown>, b: Record<string, unknown>) =>
  Number(a[sourceTables[table].key]) - Number(b[sourceTables[table].key]);

describe('the first extraction of a seeded totesys', () => {
  const testbed = useExtractorTestbed();
  let totesys: Totesys;

  beforeAll(async () => {
    totesys = await testbed.totesys({ scale: 0.02 });
  });

  it.each(sourceTableNames)(
    'extracts every row of %s, once, exactly as the source holds it',
    async (table) => {
      const store = await testbed.bucket();
      const extract = testbed.handler(totesys, store, { table, chunkRows: 100 });

      const response = await extract({ mode: 'incremental', table });

      expect(response.batchItemFailures).toEqual([]);
      const keys = await keysOf(store, `${table}/`);
      const extracted = (await Promise.all(keys.map((key) => rowsOf(store, key)))).flat();
      const expected = await sourceRows(totesys.client, table);
      expect(expected.length).toBeGreaterThan(0);
      expect(extracted.sort(byKey(table))).toEqual(expected);
      for (const row of extracted) expect(totesysTables[table].safeParse(row).error).toBeUndefined();
      const parsed = keys.map((key) => parseIngestKey(key));
      if (isReferenceTable(table)) {
        expect(parsed.map((key) => key.kind)).toEqual(['snapshot']);
      } else {
        expect(new Set(parsed.map((key) => (key.kind === 'rescan' ? key.reason : key.kind)))).toEqual(
          new Set(['initial']),
        );
        expect(keys).toHaveLength(Math.ceil(expected.length / 100));
      }
    },
  );

  it('writes zstd objects (.jsonl.zst) by default, and gzip objects (.jsonl.gz) when set to', async () => {
    const expected = await sourceRows(totesys.client, 'staff');
    for (const [compression, ending] of [
      [undefined, '.jsonl.zst'],
      ['gzip', '.jsonl.gz'],
    ] as const) {
      const store = await testbed.bucket();
      const extract = testbed.handler(totesys, store, {
        table: 'sales_order',
        chunkRows: 100,
        ...(compression ? { ingestCompression: compression } : {}),
      });
      const snapshot = testbed.handler(totesys, store, {
        table: 'staff',
        ...(compression ? { ingestCompression: compression } : {}),
      });

      expect((await extract({ mode: 'incremental', table: 'sales_order' })).batchItemFailures).toEqual([]);
      expect((await snapshot({ mode: 'incremental', table: 'staff' })).batchItemFailures).toEqual([]);

      const keys = await keysOf(store, 'sales_order/');
      expect(keys.length).toBeGreaterThan(1);
      for (const key of keys) expect(key.endsWith(ending)).toBe(true);
      const [staffKey, ...more] = await keysOf(store, 'staff/');
      expect(more).toEqual([]);
      expect(staffKey?.endsWith(ending)).toBe(true);
      expect((await rowsOf(store, staffKey ?? '')).sort(byKey('staff'))).toEqual(expected);
    }
  });

  it('reads by key below one commit horizon, records it, and then takes changes from that horizon on', async () => {
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'payment', chunkRows: 100 });
    await extract({ mode: 'incremental', table: 'payment' });

    const initial = await keysOf(store, 'payment/initial/');
    const runs = new Set(initial.map((key) => key.split('/')[2]));
    expect(runs.size).toBe(1);
    const [run] = runs;
    const state = await objectStateStore(store).read('payment');
    expect(state.initial).toBeNull();
    expect(state.watermark).toEqual({ lastUpdated: fromCompactTimestamp(run ?? ''), id: 0 });
    let lastId = 0;
    for (const key of initial) {
      const rows = await rowsOf(store, key);
      const ids = rows.map((row) => Number(row.payment_id));
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(ids[0]).toBeGreaterThan(lastId);
      lastId = ids.at(-1) ?? 0;
      for (const row of rows)
        expect(String(row.last_updated) < (state.watermark?.lastUpdated ?? '')).toBe(true);
      expect((await store.head(key))?.metadata).toEqual({
        'observed-at': expect.stringMatching(/^\d{8}T\d{9}$/),
        rows: String(rows.length),
        'schema-version': expect.stringMatching(/^[0-9a-f]{12}$/),
        reason: 'initial',
        'first-id': String(ids[0]),
        'last-id': String(lastId),
      });
    }
  });

  it('records rows, watermark range, schema version and when it read them on each change object', async () => {
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'payment', chunkRows: 2 });
    await extract({ mode: 'incremental', table: 'payment' });
    const from = (await objectStateStore(store).read('payment')).watermark;
    for (let n = 0; n < 5; n += 1) await insertSalesOrder(totesys.client);
    await pause(20);
    await extract({ mode: 'incremental', table: 'payment' });

    const keys = await keysOf(store, 'payment/changes/');
    expect(keys).toHaveLength(3);
    const heads = await Promise.all(keys.map((key) => store.head(key)));

    let after = from ? formatWatermark(from) : 'start';
    let observedBefore = '';
    for (const [index, key] of keys.entries()) {
      const parsed = parseIngestKey(key);
      if (parsed.kind !== 'changes') throw new Error(`${key} is not a change object`);
      const rows = await rowsOf(store, key);
      const last = rows.at(-1) ?? {};
      expect(heads[index]?.metadata).toEqual({
        'observed-at': expect.stringMatching(/^\d{8}T\d{9}$/),
        rows: String(rows.length),
        'schema-version': expect.stringMatching(/^[0-9a-f]{12}$/),
        'watermark-after': after,
        'watermark-through': key.split('_')[1]?.replace('.jsonl.zst', ''),
      });
      expect(parsed.through).toEqual({ lastUpdated: last.last_updated, id: last.payment_id });
      after = heads[index]?.metadata['watermark-through'] ?? '';
      const observedAt = heads[index]?.metadata['observed-at'] ?? '';
      expect(observedAt >= observedBefore).toBe(true);
      observedBefore = observedAt;
    }
  });

  it('writes its state under _state/, beside the data and apart from it', async () => {
    const store = await testbed.bucket();
    await testbed.handler(totesys, store, { table: 'currency' })({ mode: 'incremental', table: 'currency' });

    expect(await keysOf(store, '_state/')).toEqual(['_state/extract/currency.json']);
  });
});
