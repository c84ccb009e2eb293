import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LocalStack } from '@totes/local';
import { useTestDatabase } from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from '../../packages/cli/test/run-totes';
import { withStackS3 } from './stack-s3';
import { query, rowSet } from './warehouse-queries';

interface TableReport {
  readonly table: string;
  readonly missing: number;
  readonly extra: number;
  readonly different: number;
  readonly duplicateVersions: number;
  readonly samples: Record<string, readonly (number | string)[]>;
}

interface Report {
  readonly clean: boolean;
  readonly pipeline: {
    readonly unconsumed: Record<'transform' | 'load', readonly { table: string; key: string }[]>;
    readonly deadLetters: readonly unknown[];
  };
  readonly tables: readonly TableReport[];
}

// Every fact_sales_order version the warehouse holds, without the record id the warehouse assigns.
const salesHistory = `SELECT sales_order_id, created_date, created_time, last_updated_date, last_updated_time,
  sales_staff_id, counterparty_id, units_sold, unit_price, currency_id, design_id, agreed_payment_date,
  agreed_delivery_date, agreed_delivery_location_id FROM fact_sales_order`;

describe('totes verify', () => {
  const totesys = useTestDatabase('e2e_verify_src');
  const warehouse = useTestDatabase('e2e_verify_wh');
  let dataDir: string;
  const env = () => ({ TOTESYS_URL: totesys.url, WAREHOUSE_URL: warehouse.url });
  const totes = (...args: string[]) => runTotes([...args, '--data-dir', dataDir, '--json'], env());
  const verify = async (...args: string[]): Promise<{ code: number; report: Report }> => {
    const run = await totes('verify', ...args);
    expect(run.stderr).not.toMatch(/totes: /);
    return { code: run.code, report: JSON.parse(run.stdout) as Report };
  };
  const tableOf = (report: Report, table: string) => report.tables.find((entry) => entry.table === table);

  const withSilentS3 = <T>(work: (s3: S3Client, stack: LocalStack) => Promise<T>) =>
    withStackS3({ dataDir, totesysUrl: totesys.url, warehouseUrl: warehouse.url }, 'silent', work);

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-e2e-verify-'));
    await seedTotesys(totesys.url, { scale: 0.05, seed: 23 });
    expect((await totes('sync')).code).toBe(0);
    // A second version of some orders, so the facts have a history to lose and restore.
    await query(
      totesys.url,
      `UPDATE sales_order SET units_sold = units_sold + 1, last_updated = last_updated + interval '1 second'
        WHERE sales_order_id <= 5`,
    );
    expect((await totes('sync')).code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('reports a synced pipeline and warehouse clean, and exits 0', async () => {
    const { code, report } = await verify();
    expect(report.clean).toBe(true);
    expect(code).toBe(0);
    expect(report.tables).toHaveLength(11);
    expect(report.pipeline.unconsumed).toEqual({ transform: [], load: [] });
    const text = await runTotes(['verify', '--data-dir', dataDir], env());
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/verify: clean/);
    expect(Math.max(...text.stdout.split('\n').map((line) => line.length))).toBeLessThanOrEqual(80);
  });

  it('finds deleted fact versions, a changed and an emptied dimension; --heal restores them, history and all', async () => {
    const history = await rowSet(warehouse.url, salesHistory);
    expect(
      (await query(warehouse.url, 'SELECT 1 FROM fact_sales_order WHERE sales_order_id <= 5')).length,
    ).toBe(10);
    // Orders 1–5 lose both their versions, 6–8 their only one.
    await query(warehouse.url, 'DELETE FROM fact_sales_order WHERE sales_order_id <= 8');
    await query(warehouse.url, "UPDATE dim_design SET design_name = 'x' WHERE design_id = 3");
    // dim_payment_type is emptied as a partial restore would leave it: fact_payment keeps its rows
    // (foreign-key triggers off for this session), so only the dimension needs repair.
    await query(
      warehouse.url,
      "SELECT set_config('session_replication_role', 'replica', false); DELETE FROM dim_payment_type",
    );

    const found = await verify();
    expect(found.code).toBe(1);
    expect(found.report.clean).toBe(false);
    expect(tableOf(found.report, 'fact_sales_order')).toMatchObject({
      missing: 8,
      samples: { missing: [1, 2, 3, 4, 5] },
    });
    expect(tableOf(found.report, 'dim_design')).toMatchObject({ different: 1, samples: { different: [3] } });
    expect(tableOf(found.report, 'dim_payment_type')).toMatchObject({ missing: 4 });
    expect(tableOf(found.report, 'fact_payment')).toMatchObject({ missing: 0, different: 0 });
    const text = await runTotes(['verify', '--data-dir', dataDir], env());
    expect(text.stdout).toMatch(/^fact_sales_order: *$/m);
    expect(text.stdout).toMatch(/8 missing, e\.g\. 1 2 3 4 5 …/);

    const healed = await verify('--heal');
    expect(healed.report.clean).toBe(true);
    expect(healed.code).toBe(0);
    expect(await rowSet(warehouse.url, salesHistory)).toEqual(history);
    expect((await verify()).code).toBe(0);
  }, 240_000);

  it('reports and re-queues objects whose events were lost: an ingest object never announced, a load forgotten by the ledger', async () => {
    const [forgotten] = await query<{ object_key: string }>(
      warehouse.url,
      "DELETE FROM etl.load_ledger WHERE object_key = (SELECT min(object_key) FROM etl.load_ledger WHERE table_name = 'fact_payment') RETURNING object_key",
    );
    const silentKey = await withSilentS3(async (s3, stack) => {
      const listed = await s3.send(
        new ListObjectsV2Command({ Bucket: stack.names.ingestBucket, Prefix: 'sales_order/initial/' }),
      );
      const source = listed.Contents?.[0]?.Key ?? '';
      const body = await (
        await s3.send(new GetObjectCommand({ Bucket: stack.names.ingestBucket, Key: source }))
      ).Body?.transformToByteArray();
      const key = source.replace(
        /^sales_order\/initial\/\d{8}T\d{9}\//,
        'sales_order/full/20240101T000000000/',
      );
      await s3.send(
        new PutObjectCommand({ Bucket: stack.names.ingestBucket, Key: key, Body: body ?? new Uint8Array() }),
      );
      return key;
    });

    const found = await verify();
    expect(found.code).toBe(1);
    expect(found.report.pipeline.unconsumed.transform).toEqual([
      { table: 'fact_sales_order', key: silentKey },
    ]);
    expect(found.report.pipeline.unconsumed.load).toEqual([
      { table: 'fact_payment', key: forgotten?.object_key },
    ]);
    // The data itself is intact: the forgotten object's rows are still loaded.
    expect(found.report.tables.every((table) => table.missing + table.different === 0)).toBe(true);

    const healed = await verify('--heal');
    expect(healed.report.clean).toBe(true);
    expect(healed.code).toBe(0);
    expect(
      await query(warehouse.url, 'SELECT 1 FROM etl.load_ledger WHERE object_key = $1', [
        forgotten?.object_key,
      ]),
    ).toHaveLength(1);
    expect(
      await query(
        warehouse.url,
        "SELECT 1 FROM etl.load_ledger WHERE object_key LIKE '%/sales_order/full/20240101T000000000/%'",
      ),
    ).toHaveLength(1);
  }, 240_000);
});
