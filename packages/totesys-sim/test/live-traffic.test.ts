import { createTestDatabase, dropTestDatabase, useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type LiveEvent,
  type LiveTrafficStats,
  SimulatorError,
  seedTotesys,
  startLiveTraffic,
} from '../src/index';

/** A clock that moves on 250 ms each time it is read. */
function steppingClock(start: string): () => Date {
  let ms = Date.parse(`${start.replace(' ', 'T')}Z`);
  return () => {
    ms += 250;
    return new Date(ms);
  };
}

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for live traffic');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startLiveTraffic', () => {
  const db = useTestDatabase('sim_live');
  let client: pg.Client;
  const events: LiveEvent[] = [];
  let seededSales = 0;
  let stats: LiveTrafficStats;

  beforeAll(async () => {
    const seeded = await seedTotesys(db.url, { scale: 0.05, seed: 5 });
    seededSales = seeded.tables.sales_order;
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const traffic = await startLiveTraffic(db.url, {
      ordersPerMinute: 6000,
      settleAfter: 1000,
      silentEditEvery: 5,
      referenceEditEvery: 7,
      clock: steppingClock('2025-06-02 09:00:00.000'),
      onEvent: (event) => events.push(event),
    });
    await waitFor(() => traffic.stats().salesOrders + traffic.stats().purchaseOrders >= 40);
    await traffic.stop();
    stats = traffic.stats();
  });
  afterAll(async () => {
    await client.end();
  });

  it('inserts orders with their transactions and payments, and stops cleanly', async () => {
    expect(stats.running).toBe(false);
    expect(stats.errors).toBe(0);
    expect(stats.salesOrders).toBeGreaterThan(0);
    expect(stats.purchaseOrders).toBeGreaterThan(0);
    const { rows } = await client.query<{ sales: number; mismatched: number }>(
      `SELECT (SELECT count(*)::int FROM sales_order WHERE created_at >= '2025-01-01') AS sales,
              (SELECT count(*)::int FROM sales_order s
                 JOIN "transaction" t ON t.sales_order_id = s.sales_order_id
                 JOIN payment p ON p.transaction_id = t.transaction_id
                WHERE s.created_at >= '2025-01-01'
                  AND (t.created_at <> s.created_at OR p.created_at <> s.created_at OR p.payment_type_id <> 1)) AS mismatched`,
    );
    expect(rows[0]).toEqual({ sales: stats.salesOrders, mismatched: 0 });
    const max = await client.query<{ id: number }>('SELECT max(sales_order_id) AS id FROM sales_order');
    expect(max.rows[0]?.id).toBe(seededSales + stats.salesOrders);
  });

  it('settles payments after a while, the overdue seeded ones first', async () => {
    const settled = events.filter((e) => e.type === 'payments_settled');
    expect(settled.length).toBeGreaterThan(1);
    const { rows } = await client.query<{ unpaid_old: number; settled_new: number; bad: number }>(
      `SELECT (SELECT count(*)::int FROM payment WHERE NOT paid AND created_at < '2025-01-01') AS unpaid_old,
              (SELECT count(*)::int FROM payment WHERE paid AND created_at >= '2025-01-01') AS settled_new,
              (SELECT count(*)::int FROM payment
                WHERE paid AND (last_updated < created_at + interval '1 second'
                                OR payment_date <> to_char(last_updated, 'YYYY-MM-DD'))) AS bad`,
    );
    expect(rows[0]?.unpaid_old).toBe(0);
    expect(rows[0]?.settled_new).toBeGreaterThan(0);
    expect(rows[0]?.bad).toBe(0);
  });

  it('edits reference rows openly and other rows silently', async () => {
    const openEdits = events.filter((e) => e.type === 'reference_edit');
    const silentEdits = events.filter((e) => e.type === 'silent_edit');
    expect(openEdits.length).toBe(stats.referenceEdits);
    expect(silentEdits.length).toBe(stats.silentEdits);
    expect(silentEdits.length).toBeGreaterThanOrEqual(5);
    for (const edit of openEdits) {
      const { rows } = await client.query(
        `SELECT to_char(last_updated, 'YYYY-MM-DD HH24:MI:SS.MS') AS last_updated
           FROM ${pg.escapeIdentifier(edit.table)} WHERE ${pg.escapeIdentifier(`${edit.table}_id`)} = $1`,
        [edit.id],
      );
      expect(rows[0]?.last_updated >= edit.at).toBe(true);
    }
    for (const edit of silentEdits) {
      expect(edit.after).not.toEqual(edit.before);
      const { rows } = await client.query(
        `SELECT last_updated = created_at AS untouched FROM ${pg.escapeIdentifier(edit.table)}
          WHERE ${pg.escapeIdentifier(`${edit.table}_id`)} = $1`,
        [edit.id],
      );
      expect(rows[0]).toEqual({ untouched: true });
    }
  });

  it('refuses to start on a database that has not been seeded', async () => {
    const empty = await createTestDatabase('sim_live_empty');
    try {
      await expect(startLiveTraffic(empty.url)).rejects.toThrow(SimulatorError);
      await expect(startLiveTraffic(empty.url)).rejects.toThrow(/seed it first/);
    } finally {
      await dropTestDatabase(empty);
    }
  });

  it('refuses options it cannot use', async () => {
    await expect(startLiveTraffic(db.url, { ordersPerMinute: 0 })).rejects.toThrow(/ordersPerMinute/);
    await expect(startLiveTraffic(db.url, { silentEditEvery: 1.5 })).rejects.toThrow(/silentEditEvery/);
  });
});
