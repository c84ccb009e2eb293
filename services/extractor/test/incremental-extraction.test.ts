import { parseIngestKey } from '@totes/pipeline';
import { insertPurchaseOrder, insertSalesOrder, naiveTimestampOf, settlePayments } from '@totes/totesys-sim';
import { describe, expect, it } from 'vitest';
import { objectStateStore } from '../src/store/object-state-store';
import { keysOf, pause, rowsOf, sourceRows, useExtractorTestbed } from './extractor-testbed';

describe('incremental extraction of an event table', () => {
  const testbed = useExtractorTestbed();

  it('takes only the rows inserted or updated since the last run, updated rows in their new version', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'payment' });
    await extract({ mode: 'incremental', table: 'payment' });
    const firstKeys = await keysOf(store, 'payment/changes/');
    const { watermark } = await objectStateStore(store).read('payment');
    const [unpaid] = (
      await totesys.client.query<{ id: number }>(
        'SELECT payment_id AS id FROM payment WHERE NOT paid ORDER BY 1 LIMIT 1',
      )
    ).rows;

    const sale = await insertSalesOrder(totesys.client);
    const purchase = await insertPurchaseOrder(totesys.client);
    await settlePayments(totesys.client, { paymentIds: [unpaid?.id ?? 0, sale.paymentId] });
    await pause(5);
    await extract({ mode: 'incremental', table: 'payment' });

    const newKeys = (await keysOf(store, 'payment/changes/')).filter((key) => !firstKeys.includes(key));
    expect(newKeys).toHaveLength(1);
    const rows = await rowsOf(store, newKeys[0] ?? '');
    expect(rows.map((row) => [row.payment_id, row.paid])).toEqual([
      [purchase.paymentId, false],
      [unpaid?.id, true],
      [sale.paymentId, true],
    ]);
    expect(watermark).not.toBeNull();
    expect(parseIngestKey(newKeys[0] ?? '')).toMatchObject({ kind: 'changes', after: watermark });
  });

  it('takes rows updated while the first extraction runs in their new version, before or after its position', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const state = objectStateStore(store);
    // One chunk of 20 rows per invocation: the first extraction spans several.
    const extract = testbed.handler(totesys, store, { table: 'payment', chunkRows: 20, timeBudgetMs: 1 });
    await extract({ mode: 'incremental', table: 'payment' });
    const position = (await state.read('payment')).initial?.afterId ?? 0;
    const [behind, ahead] = [position - 5, position + 45];
    const edit =
      'UPDATE payment SET payment_amount = payment_amount + 1, last_updated = $2 WHERE payment_id = $1';
    for (const id of [behind, ahead]) await totesys.client.query(edit, [id, naiveTimestampOf(new Date())]);
    await pause(5);

    for (let runs = 0; (await state.read('payment')).watermark === null; runs += 1) {
      expect(runs).toBeLessThan(50);
      await extract({ mode: 'incremental', table: 'payment' });
    }
    await extract({ mode: 'incremental', table: 'payment' });

    const rowsUnder = async (prefix: string) =>
      (await Promise.all((await keysOf(store, prefix)).map((key) => rowsOf(store, key)))).flat();
    const initial = await rowsUnder('payment/initial/');
    const changes = await rowsUnder('payment/changes/');
    const source = new Map((await sourceRows(totesys.client, 'payment')).map((row) => [row.payment_id, row]));
    const versionsIn = (rows: Record<string, unknown>[], id: number) =>
      rows.filter((row) => row.payment_id === id).map((row) => row.payment_amount);
    // Before the position: its old version in the first extraction, its new one in the changes.
    expect(versionsIn(initial, behind)).toHaveLength(1);
    expect(versionsIn(initial, behind)).not.toEqual([source.get(behind)?.payment_amount]);
    expect(versionsIn(changes, behind)).toEqual([source.get(behind)?.payment_amount]);
    // After it: stamped past the horizon, so only in the changes, in its new version.
    expect(versionsIn(initial, ahead)).toEqual([]);
    expect(versionsIn(changes, ahead)).toEqual([source.get(ahead)?.payment_amount]);
    const latest = new Map([...initial, ...changes].map((row) => [row.payment_id, row]));
    expect([...latest.values()].sort((a, b) => Number(a.payment_id) - Number(b.payment_id))).toEqual([
      ...source.values(),
    ]);
  });

  it('writes nothing when nothing changed', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order' });
    await extract({ mode: 'incremental', table: 'sales_order' });
    const before = await keysOf(store, 'sales_order/');

    const response = await extract({ mode: 'incremental', table: 'sales_order' });

    expect(response.batchItemFailures).toEqual([]);
    expect(await keysOf(store, 'sales_order/')).toEqual(before);
  });

  it('keeps rows sharing one last_updated together across chunk boundaries, in key order', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order', chunkRows: 3 });
    await extract({ mode: 'incremental', table: 'sales_order' });
    const at = naiveTimestampOf(new Date());
    const added: number[] = [];
    for (let n = 0; n < 7; n += 1) added.push((await insertSalesOrder(totesys.client, {}, { at })).orderId);
    await pause(20);

    await extract({ mode: 'incremental', table: 'sales_order' });

    const keys = await keysOf(store, 'sales_order/changes/');
    const chunks = await Promise.all(keys.map((key) => rowsOf(store, key)));
    expect(chunks.map((rows) => rows.length)).toEqual([3, 3, 1]);
    expect(chunks.flat().map((row) => row.sales_order_id)).toEqual(added.sort((a, b) => a - b));
    expect(new Set(chunks.flat().map((row) => row.last_updated))).toEqual(new Set([at]));
  });
});
