import { insertSalesOrder } from '@totes/totesys-sim';
import { describe, expect, it } from 'vitest';
import { extractedSalesOrderIds, pause, salesOrderIds, useExtractorTestbed } from './extractor-testbed';

describe('a transaction held open for a minute', () => {
  const testbed = useExtractorTestbed();

  // The one long test of the package: it runs beside the other files.
  it('held open for a minute while others commit and the extractor keeps running, loses nothing', {
    timeout: 120_000,
  }, async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order', commitMarginMs: 500 });
    const early = await totesys.connect();
    await early.query('BEGIN');
    const held = await insertSalesOrder(early, {}, { ownTransaction: false });
    const heldOpenUntil = Date.now() + 60_000;

    const committedMeanwhile: number[] = [];
    while (Date.now() < heldOpenUntil) {
      committedMeanwhile.push((await insertSalesOrder(totesys.client)).orderId);
      await extract({ mode: 'incremental', table: 'sales_order' });
      expect(await extractedSalesOrderIds(store)).not.toContain(committedMeanwhile[0]);
      await pause(Math.min(5_000, Math.max(0, heldOpenUntil - Date.now())));
    }
    await early.query('COMMIT');
    await pause(600);
    await extract({ mode: 'incremental', table: 'sales_order' });

    const ids = await extractedSalesOrderIds(store);
    expect(committedMeanwhile.length).toBeGreaterThanOrEqual(10);
    expect(ids).toContain(held.orderId);
    expect(ids.sort((a, b) => a - b)).toEqual(await salesOrderIds(totesys));
  });
});
