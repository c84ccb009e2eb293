import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ExtractRequest,
  extractMessage,
  NotificationError,
  objectsCreated,
  S3Event,
  s3Event,
} from '../src/index';

const notification = readFileSync(new URL('./fixtures/sns-s3-notification.json', import.meta.url), 'utf8');

describe('S3 event notifications', () => {
  it('reads the object from an S3 notification delivered through SNS into SQS', () => {
    expect(objectsCreated(notification)).toEqual([
      {
        bucket: 'prod-totes-ingest',
        key: 'staff/snapshots/20241104T091502345-0123456789abcdef.jsonl',
        size: 4096,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    ]);
  });

  it('builds notifications in the shape S3 sends, with the key URL-encoded', () => {
    const event = s3Event({
      bucket: 'local-totes-processed',
      key: 'dim_staff/g1/staff=20241104T091502345-0123456789abcdef/department=20241101T000000000-0123456789abcdef.parquet',
      size: 10,
      eTag: '"abc"',
      region: 'eu-west-2',
      eventTime: new Date('2024-11-04T09:15:02.345Z'),
      sequencer: '0000000000000001',
    });
    expect(S3Event.parse(event)).toEqual(event);
    expect(event.Records[0]?.s3.object.key).toContain('staff%3D');
    expect(event.Records[0]?.s3.object.eTag).toBe('abc');
    const [object] = objectsCreated(JSON.stringify(event));
    expect(object?.key).toContain('staff=20241104T091502345');
  });

  it('decodes a "+" in an event key as a space, as S3 encodes it', () => {
    const event = JSON.parse(JSON.parse(notification).Message);
    event.Records[0].s3.object.key = 'a+b%2Bc.jsonl';
    expect(objectsCreated(JSON.stringify(event))[0]?.key).toBe('a b+c.jsonl');
  });

  it('ignores the s3:TestEvent S3 sends when notifications are configured', () => {
    const test = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2024-11-04T09:15:02.345Z',
      Bucket: 'b',
    };
    expect(objectsCreated(JSON.stringify(test))).toEqual([]);
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['an envelope whose message is not JSON', JSON.stringify({ ...JSON.parse(notification), Message: '{' })],
    ['JSON that is not an S3 event', JSON.stringify({ Records: [{ eventSource: 'aws:sqs' }] })],
  ])('rejects %s with a NotificationError', (_, body) => {
    expect(() => objectsCreated(body)).toThrow(NotificationError);
  });
});

describe('extract requests', () => {
  it.each([
    { mode: 'incremental', table: 'sales_order' },
    { mode: 'incremental', table: 'sales_order', requestedAt: '2024-11-04T09:15:00Z' },
    { mode: 'full', table: 'staff', run: '20241104T091502345' },
    { mode: 'full', table: 'payment', run: '20241104T091502345', afterId: 50_000 },
    { mode: 'sweep', table: 'design', run: '20241104T091502345', afterBucket: 3 },
  ])('accepts %j', (request) => {
    expect(ExtractRequest.parse(request)).toEqual(request);
  });

  it.each([
    { mode: 'incremental', table: '_prisma_migrations' },
    { mode: 'incremental', table: 'fact_sales_order' },
    { mode: 'everything', table: 'staff' },
    { mode: 'full', table: 'staff' },
    { mode: 'incremental', table: 'staff', requestedAt: 'yesterday' },
    { mode: 'sweep', table: 'staff', run: '2024-11-04', afterBucket: -1 },
  ])('rejects %j', (request) => {
    expect(ExtractRequest.safeParse(request).success).toBe(false);
  });

  it('names a scheduled sweep or full run by the time it was requested for, when it names no run', () => {
    const scheduled = { mode: 'sweep', table: 'sales_order', requestedAt: '2024-11-04T09:15:02.345Z' };
    expect(ExtractRequest.parse(scheduled)).toEqual({ ...scheduled, run: '20241104T091502345' });
    const inZone = { mode: 'full', table: 'staff', requestedAt: '2024-11-04T10:15:00+01:00' };
    expect(ExtractRequest.parse(inZone)).toMatchObject({ run: '20241104T091500000' });
    const named = { ...scheduled, run: '20241101T000000000' };
    expect(ExtractRequest.parse(named)).toMatchObject({ run: '20241101T000000000' });
    const unnamed = ExtractRequest.safeParse({ mode: 'sweep', table: 'sales_order' });
    expect(unnamed.success).toBe(false);
    expect(unnamed.error?.issues[0]?.message).toBe(
      'a sweep request needs its run, or the requestedAt its run is named by',
    );
  });

  it('groups FIFO messages by table, so one extraction per table runs at a time', () => {
    const message = extractMessage({ mode: 'incremental', table: 'payment' }, 'payment-20241104T091500000');
    expect(message.MessageGroupId).toBe('payment');
    expect(JSON.parse(message.MessageBody)).toEqual({ mode: 'incremental', table: 'payment' });
  });
});
