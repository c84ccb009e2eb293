import {
  isReferenceTable,
  parseIngestKey,
  type SourceTableName,
  sourceTableNames,
  sourceTables,
} from '@totes/pipeline';
import { totesysTables } from '@totes/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { keysOf, rowsOf, sourceRows, type Totesys, useExtractorTestbed } from './extractor-testbed';

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
      const kinds = keys.map((key) => parseIngestKey(key).kind);
      if (isReferenceTable(table)) {
        expect(kinds).toEqual(['snapshot']);
      } else {
        expect(new Set(kinds)).toEqual(new Set(['changes']));
        expect(keys).toHaveLength(Math.ceil(expected.length / 100));
      }
    },
  );

  it('records rows, watermark range and schema version on each change object', async () => {
    const store = await testbed.bucket();
    await testbed.handler(totesys, store, { table: 'payment', chunkRows: 100 })({
      mode: 'incremental',
      table: 'payment',
    });

    const keys = await keysOf(store, 'payment/changes/');
    const heads = await Promise.all(keys.map((key) => store.head(key)));

    let after = 'start';
    for (const [index, key] of keys.entries()) {
      const parsed = parseIngestKey(key);
      if (parsed.kind !== 'changes') throw new Error(`${key} is not a change object`);
      const rows = await rowsOf(store, key);
      const last = rows.at(-1) ?? {};
      expect(heads[index]?.metadata).toEqual({
        rows: String(rows.length),
        'schema-version': expect.stringMatching(/^[0-9a-f]{12}$/),
        'watermark-after': after,
        'watermark-through': key.split('_')[1]?.replace('.jsonl.gz', ''),
      });
      expect(parsed.through).toEqual({ lastUpdated: last.last_updated, id: last.payment_id });
      after = heads[index]?.metadata['watermark-through'] ?? '';
    }
  });

  it('writes its state under _state/, beside the data and apart from it', async () => {
    const store = await testbed.bucket();
    await testbed.handler(totesys, store, { table: 'currency' })({ mode: 'incremental', table: 'currency' });

    expect(await keysOf(store, '_state/')).toEqual(['_state/extract/currency.json']);
  });
});
