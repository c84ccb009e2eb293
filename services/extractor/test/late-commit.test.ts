import { randomBytes } from 'node:crypto';
import { insertSalesOrder } from '@totes/totesys-sim';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { extractedSalesOrderIds, pause, salesOrderIds, useExtractorTestbed } from './extractor-testbed';

describe('a transaction that commits after later ones', () => {
  const testbed = useExtractorTestbed();

  it('is extracted after it commits, and each row exactly once', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'sales_order' });
    await extract({ mode: 'incremental', table: 'sales_order' });
    const early = await totesys.connect();

    await early.query('BEGIN');
    const held = await insertSalesOrder(early, {}, { ownTransaction: false });
    await pause(20);
    const committed = await insertSalesOrder(totesys.client);
    await pause(20);
    await extract({ mode: 'incremental', table: 'sales_order' });
    const beforeCommit = await extractedSalesOrderIds(store);
    await early.query('COMMIT');
    await pause(20);
    await extract({ mode: 'incremental', table: 'sales_order' });

    expect(beforeCommit).not.toContain(committed.orderId);
    const ids = await extractedSalesOrderIds(store);
    expect(ids.filter((id) => id === held.orderId || id === committed.orderId).sort()).toEqual(
      [held.orderId, committed.orderId].sort(),
    );
    expect(ids.sort((a, b) => a - b)).toEqual(await salesOrderIds(totesys));
  });

  it('without pg_read_all_stats, waits out a fixed lag instead of trusting what it cannot see', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const role = `reader_${randomBytes(4).toString('hex')}`;
    const password = randomBytes(8).toString('hex');
    const name = pg.escapeIdentifier(role);
    await totesys.client.query(`CREATE ROLE ${name} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
    await totesys.client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${name}`);
    const url = new URL(totesys.url);
    url.username = role;
    url.password = password;
    try {
      const store = await testbed.bucket();
      const extract = testbed.handler({ ...totesys, url: url.toString() }, store, {
        table: 'sales_order',
        hiddenSessionsLagMs: 3_000,
      });
      await extract({ mode: 'incremental', table: 'sales_order' });
      const recent = await insertSalesOrder(totesys.client);
      await pause(20);

      await extract({ mode: 'incremental', table: 'sales_order' });
      const tooSoon = await extractedSalesOrderIds(store);
      await pause(3_000);
      await extract({ mode: 'incremental', table: 'sales_order' });

      expect(tooSoon).not.toContain(recent.orderId);
      expect(await extractedSalesOrderIds(store)).toContain(recent.orderId);
    } finally {
      await totesys.client.query(`DROP OWNED BY ${name}`);
      await totesys.client.query(`DROP ROLE ${name}`);
    }
  });
});
