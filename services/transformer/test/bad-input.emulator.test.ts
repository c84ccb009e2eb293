import { gzipSync, zstdCompressSync } from 'node:zlib';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import {
  type IngestCompression,
  ingestKey,
  objectsCreated,
  parseIngestKey,
  processedKey,
  readProcessedMetadata,
  stageSettings,
} from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { fixtureRow, jsonLines, totesys } from './fixtures';
import { transformDriver } from './transform-driver';

const toArrayBuffer = (bytes: Uint8Array | undefined): ArrayBuffer => {
  if (!bytes) throw new Error('expected a processed object');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
};

const pipeline = useTestPipeline({ visibilityTimeoutSeconds: 1 });
const driver = transformDriver(pipeline);
const lastFailure = () => driver.log.filter((line) => line.message === 'transform failed').at(-1)?.fields;

const changes = (id: number, compression: IngestCompression = 'zstd') =>
  ingestKey(
    {
      kind: 'changes',
      table: 'sales_order',
      after: null,
      through: { lastUpdated: '2024-01-01 00:00:00.000', id },
    },
    compression,
  );
const output = (key: string) =>
  processedKey({
    kind: 'rows',
    target: 'fact_sales_order',
    generation: 1,
    source: parseIngestKey(key),
  });

const good = jsonLines(totesys.sales_order);
const notJson = `${JSON.stringify(totesys.sales_order[0])}\n{"sales_order_id": 3, "created_at":\n`;
const wrongPrice = jsonLines([
  fixtureRow('sales_order', 0),
  { ...fixtureRow('sales_order', 1), unit_price: 2.55 },
]);

describe('bad input, on the emulator', () => {
  it('fails only the messages of malformed objects, writes nothing for them, and names object, line and reason', async () => {
    const objects = [await driver.put(changes(101), good), await driver.put(changes(102), notJson)];
    const response = await driver.handler('fact_sales_order')(
      driver.event(...objects.map((object) => driver.envelope(object))),
      undefined as never,
    );

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'record-2' }]);
    expect(await driver.processed(output(changes(101)))).toBeDefined();
    expect(await driver.processed(output(changes(102)))).toBeUndefined();
    const failures = driver.log.filter((line) => line.message === 'transform failed');
    expect(failures.map((line) => line.fields)).toEqual([
      expect.objectContaining({
        target: 'fact_sales_order',
        key: changes(102),
        line: 2,
        reason: expect.stringContaining('not JSON'),
      }),
    ]);
  });

  it('quarantines a row that breaks its contract and writes the rest, describing the row in the footer', async () => {
    const soon = { ...fixtureRow('sales_order', 1), agreed_delivery_date: 'soon' };
    const object = await driver.put(changes(115), jsonLines([fixtureRow('sales_order', 0), soon]));
    const counted: Record<string, number> = {};
    const metrics = {
      add: (name: string, value: number) => {
        counted[name] = value;
      },
      flush: () => undefined,
    };
    const response = await driver.handler('fact_sales_order', { metrics })(
      driver.event(driver.envelope(object)),
      undefined as never,
    );

    expect(response.batchItemFailures).toEqual([]);
    const bytes = await driver.processed(output(changes(115)));
    const footer = readProcessedMetadata(parquetMetadata(toArrayBuffer(bytes)).key_value_metadata);
    expect(footer).toMatchObject({
      rows: 1,
      observed: { sales_order: '2024-01-01 00:00:00.000' },
      quarantined: 1,
      quarantine: [
        {
          sourceTable: 'sales_order',
          sourceId: soon.sales_order_id,
          objectKey: changes(115),
          line: 2,
          column: 'agreed_delivery_date',
          value: '"soon"',
          reason: expect.stringContaining('agreed_delivery_date'),
        },
      ],
    });
    expect(counted.rows_quarantined).toBe(1);
  });

  it('writes an object of no rows when every row is quarantined, so the quarantine reaches the loader', async () => {
    const object = await driver.put(changes(103), wrongPrice.split('\n').slice(1).join('\n'));
    const response = await driver.handler('fact_sales_order')(
      driver.event(driver.envelope(object)),
      undefined as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    const bytes = await driver.processed(output(changes(103)));
    const footer = readProcessedMetadata(parquetMetadata(toArrayBuffer(bytes)).key_value_metadata);
    expect(footer).toMatchObject({
      rows: 0,
      quarantined: 1,
      quarantine: [{ line: 1, column: 'unit_price' }],
    });
  });

  it('writes nothing when a bad line comes after row groups were already streamed out', async () => {
    const rows = Array.from({ length: 5000 }, (_, index) => ({
      ...fixtureRow('sales_order', 0),
      sales_order_id: index + 1,
    }));
    const lines = jsonLines(rows).split('\n');
    lines[4499] = '{"sales_order_id": "4500"}';
    const object = await driver.put(changes(104), lines.join('\n'));
    const response = await driver.handler('fact_sales_order', { rowGroupRows: 1000 })(
      driver.event(driver.envelope(object)),
      undefined as never,
    );
    expect(response.batchItemFailures).toHaveLength(1);
    expect(await driver.processed(output(changes(104)))).toBeUndefined();
    expect(lastFailure()).toMatchObject({ key: changes(104), line: 4500 });
  });

  it('fails an object named zstd or gzip that is not, is cut short or has a second frame, naming the object and the reason', async () => {
    const zstd = zstdCompressSync(good);
    const gzip = gzipSync(good);
    const gzipKey = (id: number) => changes(id, 'gzip');
    const objects = [
      await driver.putBytes(changes(107), Buffer.from(good)),
      await driver.putBytes(changes(108), zstd.subarray(0, zstd.length - 20)),
      await driver.putBytes(changes(109), Buffer.concat([zstd, zstd])),
      await driver.putBytes(gzipKey(111), Buffer.from(good)),
      await driver.putBytes(gzipKey(112), gzip.subarray(0, gzip.length - 20)),
      await driver.putBytes(changes(113), Buffer.concat([zstd, zstdCompressSync('')])),
      await driver.put(gzipKey(114), good),
    ];
    const response = await driver.handler('fact_sales_order')(
      driver.event(...objects.map((object) => driver.envelope(object))),
      undefined as never,
    );

    expect(response.batchItemFailures).toEqual(
      [1, 2, 3, 4, 5].map((record) => ({ itemIdentifier: `record-${record}` })),
    );
    for (const key of [changes(107), changes(108), changes(109), gzipKey(111), gzipKey(112)]) {
      expect(await driver.processed(output(key))).toBeUndefined();
    }
    expect(await driver.processed(output(changes(113)))).toBeDefined();
    expect(await driver.processed(output(gzipKey(114)))).toBeDefined();
    const failures = driver.log.filter((line) => line.message === 'transform failed').slice(-5);
    expect(failures.map((line) => line.fields)).toEqual([
      expect.objectContaining({ key: changes(107), reason: expect.stringContaining('not valid zstd') }),
      expect.objectContaining({ key: changes(108), reason: expect.stringContaining('not valid zstd') }),
      expect.objectContaining({
        key: changes(109),
        reason: expect.stringContaining('bytes of data after its first zstd frame'),
      }),
      expect.objectContaining({ key: gzipKey(111), reason: expect.stringContaining('not valid gzip') }),
      expect.objectContaining({ key: gzipKey(112), reason: expect.stringContaining('not valid gzip') }),
    ]);
  });

  it('still reads objects written before compression, as plain .jsonl', async () => {
    const plain = changes(110).replace(/\.zst$/, '');
    const response = await driver.handler('fact_sales_order')(
      driver.event(driver.envelope(await driver.put(plain, good))),
      undefined as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    expect(await driver.processed(output(changes(110)))).toBeDefined();
  });

  it('fails a notification for an object this table is not built from', async () => {
    const object = await driver.put(
      ingestKey({
        kind: 'changes',
        table: 'payment',
        after: null,
        through: { lastUpdated: '2024-01-01 00:00:00.000', id: 1 },
      }),
      jsonLines(totesys.payment),
    );
    const response = await driver.handler('fact_sales_order')(
      driver.event(driver.envelope(object)),
      undefined as never,
    );
    expect(response.batchItemFailures).toHaveLength(1);
    expect(lastFailure()?.reason).toMatch(
      /fact_sales_order is built from sales_order change objects, not from payment/,
    );
  });

  it('fails a message that is not an S3 notification', async () => {
    const response = await driver.handler('fact_sales_order')(
      driver.event('{"hello": "world"}'),
      undefined as never,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'record-1' }]);
  });

  it('sends a malformed object to the dead-letter queue after the maximum receives, while the rest of its batch succeeds', async () => {
    const queue = pipeline().names.queue('transform', 'fact_sales_order');
    const bad = await driver.put(changes(105), notJson);
    const fine = await driver.put(changes(106), good);
    await driver.announce(bad);
    await driver.announce(fine);
    const handler = driver.handler('fact_sales_order');

    const receives: number[] = [];
    for (
      let attempt = 0;
      attempt < 20 && receives.length <= stageSettings.transform.maxReceiveCount;
      attempt += 1
    ) {
      const { records } = await driver.deliver(queue, handler);
      for (const record of records) {
        if (objectsCreated(record.body)[0]?.key === bad.key)
          receives.push(Number(record.attributes.ApproximateReceiveCount));
      }
      if (records.length === 0) break;
    }

    const { maxReceiveCount } = stageSettings.transform;
    expect(receives).toEqual(Array.from({ length: maxReceiveCount }, (_, index) => index + 1));
    expect(await driver.processed(output(changes(106)))).toBeDefined();
    expect(await driver.processed(output(changes(105)))).toBeUndefined();
    const { Messages = [] } = await pipeline().clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: pipeline().queueUrl(pipeline().names.deadLetterQueue('transform', 'fact_sales_order')),
        WaitTimeSeconds: 2,
      }),
    );
    expect(Messages.map((message) => objectsCreated(message.Body ?? '')[0]?.key)).toEqual([bad.key]);
  });
});
