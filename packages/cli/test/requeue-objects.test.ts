import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { inputPrefixes, sourceTables, warehouseTables } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { loadInputs, requeueObjects, transformInputs } from '../src/stack/requeue-objects';

const pipeline = useTestPipeline();

async function put(bucket: string, key: string, body = 'x'): Promise<void> {
  await pipeline().clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

describe('the stored objects a table is made from again', () => {
  it('are every ingest object of an event table, and the latest snapshot of each reference table', async () => {
    const { clients, names } = pipeline();
    const bucket = names.ingestBucket;
    const [events] = inputPrefixes('fact_sales_order');
    await put(bucket, `${events}2024/11/04/a.jsonl.zst`);
    await put(bucket, `${events}2024/11/05/b.jsonl.zst`, 'longer body');
    const staffInputs = warehouseTables.dim_staff.inputs;
    expect(staffInputs.every((input) => sourceTables[input].kind === 'reference')).toBe(true);
    for (const prefix of inputPrefixes('dim_staff')) {
      await put(bucket, `${prefix}20241104T090000000.jsonl.zst`);
      await put(bucket, `${prefix}20241105T090000000.jsonl.zst`);
    }

    const facts = await transformInputs(clients.s3, bucket, 'fact_sales_order');
    expect(facts.map((object) => object.key)).toEqual([
      `${events}2024/11/04/a.jsonl.zst`,
      `${events}2024/11/05/b.jsonl.zst`,
    ]);
    expect(facts[1]).toMatchObject({ size: 11 });
    expect(facts[1]?.eTag).toMatch(/^[0-9a-f]{32}$/);
    const staff = await transformInputs(clients.s3, bucket, 'dim_staff');
    expect(staff.map((object) => object.key)).toEqual(
      inputPrefixes('dim_staff').map((prefix) => `${prefix}20241105T090000000.jsonl.zst`),
    );
  });

  it('are the processed objects of the highest generation of each input, in key order', async () => {
    const { clients, names } = pipeline();
    const bucket = names.processedBucket;
    await put(bucket, 'dim_design/g1/design/a.parquet');
    await put(bucket, 'dim_design/g2/design/a.parquet');
    await put(bucket, 'dim_design/g1/design/b.parquet');
    await put(bucket, 'dim_design/stray.parquet');
    const objects = await loadInputs(clients.s3, bucket, 'dim_design');
    expect(objects.map((object) => object.key)).toEqual([
      'dim_design/g1/design/b.parquet',
      'dim_design/g2/design/a.parquet',
    ]);
  });
});

describe('sending the events of stored objects again', () => {
  it('sends one ObjectCreated event per object, ten to a batch, telling how many are sent', async () => {
    const { clients, names } = pipeline();
    const queue = pipeline().resources.queues.find(
      (candidate) => candidate.stage === 'transform' && !candidate.fifo,
    );
    if (!queue) throw new Error('no standard transform queue in the topology');
    const url = pipeline().queueUrl(queue.name);
    const objects = Array.from({ length: 12 }, (_, index) => ({
      key: `design/${index}.jsonl.zst`,
      size: index,
      eTag: 'e',
    }));
    const progress: number[] = [];
    const sent = await requeueObjects(clients.sqs, url, names.ingestBucket, 'eu-west-2', objects, (count) =>
      progress.push(count),
    );
    expect(sent).toBe(12);
    expect(progress).toEqual([10, 12]);
    const keys: string[] = [];
    while (keys.length < 12) {
      const { Messages = [] } = await clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
      );
      for (const message of Messages) {
        const event = JSON.parse(message.Body ?? '{}') as { Records: { s3: { object: { key: string } } }[] };
        keys.push(...event.Records.map((record) => decodeURIComponent(record.s3.object.key)));
      }
    }
    expect(keys.sort()).toEqual(objects.map((object) => object.key).sort());
  });
});
