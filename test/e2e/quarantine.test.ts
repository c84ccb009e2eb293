import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useTestDatabase } from '@totes/test-harness';
import { insertSalesOrder, seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from '../../packages/cli/test/run-totes';
import { query } from './warehouse-queries';

/** Now as a naive totesys timestamp, as totesys writes `last_updated`. */
const now = () => new Date().toISOString().replace('T', ' ').slice(0, 23);

describe('a bad source row on the local stack: quarantined, then released by the fix', () => {
  const totesys = useTestDatabase('e2e_quarantine_src');
  const warehouse = useTestDatabase('e2e_quarantine_wh');
  let dataDir: string;
  const env = () => ({ TOTESYS_URL: totesys.url, WAREHOUSE_URL: warehouse.url });
  const totes = async (args: readonly string[]) =>
    runTotes([...args, '--data-dir', dataDir, '--json'], env());
  const sourceUpdate = async (sql: string, values: readonly unknown[]) => {
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    try {
      await client.query(sql, [...values]);
    } finally {
      await client.end();
    }
  };
  const versionsOf = (id: number) =>
    query<{ agreed_delivery_date: string }>(
      warehouse.url,
      `SELECT to_char(agreed_delivery_date, 'YYYY-MM-DD') AS agreed_delivery_date FROM fact_sales_order
        WHERE sales_order_id = $1 ORDER BY sales_record_id`,
      [id],
    );
  const badId = 3;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-e2e-quarantine-'));
    await seedTotesys(totesys.url, { scale: 0.01, seed: 7 });
    const first = await totes(['sync']);
    expect(first.code).toBe(0);
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('loads the rest and quarantines the bad row, exit 0 and no dead letter', async () => {
    const before = await versionsOf(badId);
    await sourceUpdate(
      'UPDATE sales_order SET agreed_delivery_date = $1, last_updated = $2 WHERE sales_order_id = $3',
      ['soon', now(), badId],
    );
    const client = new pg.Client({ connectionString: totesys.url });
    await client.connect();
    const good = await insertSalesOrder(client).finally(() => client.end());

    const run = await totes(['sync']);
    expect(run.stderr).not.toMatch(/totes: /);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.deadLetters).toEqual([]);
    expect(result.tables.find((t: { table: string }) => t.table === 'fact_sales_order').quarantined).toBe(1);
    expect(await versionsOf(good.orderId)).toHaveLength(1);
    expect(await versionsOf(badId)).toEqual(before);

    const listed = await totes(['quarantine', '--table', 'fact_sales_order']);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).quarantine).toEqual([
      {
        table: 'fact_sales_order',
        sourceTable: 'sales_order',
        sourceId: badId,
        // The change batch took it, and so did the sweep that `sync` runs; the later one is kept.
        objectKey: expect.stringMatching(/^sales_order\/(changes|sweep)\/.+\.jsonl\.zst$/),
        line: expect.any(Number),
        column: 'agreed_delivery_date',
        value: '"soon"',
        reason: expect.stringContaining('agreed_delivery_date'),
        since: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
    ]);
  });

  it('loads the row and releases it once the source is fixed, with no redrive', async () => {
    await sourceUpdate(
      'UPDATE sales_order SET agreed_delivery_date = $1, last_updated = $2 WHERE sales_order_id = $3',
      ['2024-12-01', now(), badId],
    );

    const run = await totes(['sync']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).deadLetters).toEqual([]);
    expect((await versionsOf(badId)).at(-1)).toEqual({ agreed_delivery_date: '2024-12-01' });
    const listed = await totes(['quarantine']);
    expect(JSON.parse(listed.stdout).quarantine).toEqual([]);
    const dlq = await totes(['dlq']);
    expect(dlq.code).toBe(0);
    expect(JSON.parse(dlq.stdout).deadLetters).toEqual([]);
  });
});
