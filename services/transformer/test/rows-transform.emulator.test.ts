import { ingestKey, processedKey, type TargetTableName } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { readWithDuckDb } from './duckdb-parquet';
import { expectedFactSalesOrder, jsonLines, totesys } from './fixtures';
import { transformDriver } from './transform-driver';

const pipeline = useTestPipeline();
const driver = transformDriver(pipeline);

const salesChanges = ingestKey({
  kind: 'changes',
  table: 'sales_order',
  after: null,
  through: { lastUpdated: '2024-01-01 00:00:00.000', id: 3 },
});

describe('transforming a change object into facts, on the emulator', () => {
  it('writes fact_sales_order Parquet from a sales_order change object announced through SNS and SQS', async () => {
    await driver.announce(await driver.put(salesChanges, jsonLines(totesys.sales_order)));
    const { response, records } = await driver.deliver(
      pipeline().names.queue('transform', 'fact_sales_order'),
      driver.handler('fact_sales_order'),
    );
    expect(records).toHaveLength(1);
    expect(response.batchItemFailures).toEqual([]);

    const key = processedKey({
      kind: 'rows',
      target: 'fact_sales_order',
      generation: 1,
      source: {
        kind: 'changes',
        table: 'sales_order',
        after: null,
        through: { lastUpdated: '2024-01-01 00:00:00.000', id: 3 },
      },
    });
    expect(key).toBe(
      'fact_sales_order/g1/sales_order/changes/00000000T000000000-0000000000_20240101T000000000-0000000003.parquet',
    );
    const table = await readWithDuckDb((await driver.processed(key)) as Uint8Array);
    expect(table.rows).toEqual([expectedFactSalesOrder[0], expectedFactSalesOrder[1]]);
    expect(table.metadata).toEqual({
      'totes.sources': JSON.stringify([salesChanges]),
      'totes.max_last_updated': '2024-01-01 00:00:00.000',
      'totes.schema_version': '1',
      'totes.rows': '2',
      'totes.observed': JSON.stringify({ sales_order: '2024-01-01 00:00:00.000' }),
    });
    expect(driver.log.find((line) => line.fields.outputKey === key)).toMatchObject({
      level: 'info',
      message: 'transform written',
      fields: { inputKeys: [salesChanges], rowsIn: 2, rowsOut: 2, durationMs: expect.any(Number) },
    });
  });

  it('carries the observation time the extractor recorded on the input into the footer', async () => {
    const source = {
      kind: 'changes',
      table: 'transaction',
      after: null,
      through: { lastUpdated: '2024-01-02 00:00:00.000', id: 9 },
    } as const;
    await driver.announce(
      await driver.put(ingestKey(source), jsonLines(totesys.transaction), {
        'observed-at': '20240102T000001234',
      }),
    );
    await driver.deliver(
      pipeline().names.queue('transform', 'dim_transaction'),
      driver.handler('dim_transaction'),
    );

    const key = processedKey({ kind: 'rows', target: 'dim_transaction', generation: 1, source });
    const table = await readWithDuckDb((await driver.processed(key)) as Uint8Array);
    expect(table.metadata).toMatchObject({ 'totes.observed_at': '20240102T000001234' });
  });

  it.each([
    [
      'fact_purchase_order',
      'purchase_order',
      {
        purchase_order_id: 1,
        item_code: 'ZDOI5EA',
        item_unit_price: '361.39',
        last_updated_time: '08:01:02.030',
      },
    ],
    [
      'fact_payment',
      'payment',
      { payment_id: 2, payment_amount: '552548.62', paid: false, payment_date: '2022-11-04' },
    ],
    [
      'dim_transaction',
      'transaction',
      { transaction_id: 1, transaction_type: 'PURCHASE', sales_order_id: null, purchase_order_id: 1 },
    ],
  ] as const)('writes %s from a %s change object, row by row', async (target, table, firstRow) => {
    const rows = totesys[table];
    const key = ingestKey({
      kind: 'changes',
      table,
      after: null,
      through: { lastUpdated: '2022-11-09 10:15:00.999', id: 9 },
    });
    await driver.put(key, jsonLines(rows));
    const { batchItemFailures } = await driver.handler(target as Exclude<TargetTableName, 'dim_date'>)(
      driver.event(driver.envelope({ bucket: pipeline().names.ingestBucket, key, size: 1, eTag: 'x' })),
      undefined as never,
    );
    expect(batchItemFailures).toEqual([]);
    const [output] = await driver.processedKeys(`${target}/g1/${table}/changes/`);
    const read = await readWithDuckDb((await driver.processed(output as string)) as Uint8Array);
    expect(read.rows).toHaveLength(rows.length);
    expect(read.rows[0]).toMatchObject(firstRow);
    expect(read.metadata['totes.rows']).toBe(String(rows.length));
  });

  it('maps a rescan object to its own key too', async () => {
    const key = ingestKey({
      kind: 'rescan',
      table: 'sales_order',
      reason: 'sweep',
      run: '20241104T030000000',
      firstId: 1,
      lastId: 1000,
    });
    await driver.put(key, jsonLines(totesys.sales_order.slice(1)));
    const { batchItemFailures } = await driver.handler('fact_sales_order')(
      driver.event(driver.envelope({ bucket: pipeline().names.ingestBucket, key, size: 1, eTag: 'x' })),
      undefined as never,
    );
    expect(batchItemFailures).toEqual([]);
    const output = 'fact_sales_order/g1/sales_order/sweep/20241104T030000000/0000000001-0000001000.parquet';
    expect((await readWithDuckDb((await driver.processed(output)) as Uint8Array)).rows).toHaveLength(1);
  });

  it('gives the same event, delivered twice, the same key and the same bytes, and writes nothing the second time', async () => {
    const key = ingestKey({
      kind: 'changes',
      table: 'payment',
      after: { lastUpdated: '2022-11-03 14:20:52.187', id: 2 },
      through: { lastUpdated: '2022-11-09 10:15:00.999', id: 3 },
    });
    await driver.put(key, jsonLines(totesys.payment.slice(1)));
    const handler = driver.handler('fact_payment');
    const event = driver.event(
      driver.envelope({ bucket: pipeline().names.ingestBucket, key, size: 1, eTag: 'x' }),
    );
    const output = processedKey({
      kind: 'rows',
      target: 'fact_payment',
      generation: 1,
      source: {
        kind: 'changes',
        table: 'payment',
        after: { lastUpdated: '2022-11-03 14:20:52.187', id: 2 },
        through: { lastUpdated: '2022-11-09 10:15:00.999', id: 3 },
      },
    });

    await handler(event, undefined as never);
    const first = await driver.processed(output);
    await handler(event, undefined as never);
    expect(await driver.processedKeys('fact_payment/g1/payment/changes/20221103T')).toEqual([output]);
    expect(Buffer.from((await driver.processed(output)) as Uint8Array).equals(first as Uint8Array)).toBe(
      true,
    );
    // The second time there is nothing to do: routine, so a debug line.
    expect(
      driver.log.filter((line) => line.fields.outputKey === output).map((line) => [line.level, line.message]),
    ).toEqual([
      ['info', 'transform written'],
      ['debug', 'transform exists'],
    ]);

    await driver.removeProcessed(output);
    await handler(event, undefined as never);
    expect(Buffer.from((await driver.processed(output)) as Uint8Array).equals(first as Uint8Array)).toBe(
      true,
    );
  });

  it('writes a reprocess beside the first generation instead of over it', async () => {
    const key = ingestKey({
      kind: 'changes',
      table: 'transaction',
      after: null,
      through: { lastUpdated: '2022-11-03 14:20:52.187', id: 1 },
    });
    await driver.put(key, jsonLines(totesys.transaction));
    const event = driver.event(
      driver.envelope({ bucket: pipeline().names.ingestBucket, key, size: 1, eTag: 'x' }),
    );
    await driver.handler('dim_transaction')(event, undefined as never);
    await driver.handler('dim_transaction', { generation: 2 })(event, undefined as never);
    const stem = 'transaction/changes/00000000T000000000-0000000000_20221103T142052187-0000000001.parquet';
    expect(await driver.processedKeys('dim_transaction/')).toEqual(
      expect.arrayContaining([`dim_transaction/g1/${stem}`, `dim_transaction/g2/${stem}`]),
    );
  });
});
