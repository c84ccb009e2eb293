import { describe, expect, it } from 'vitest';
import {
  type EventQueue,
  findUnconsumedObjects,
  givenUpKey,
  type IngestKey,
  ingestKey,
  type LedgerQuery,
  type ListedObject,
  type ObjectListing,
  objectsCreated,
  processedKey,
  requeueUnconsumed,
  resourceNames,
  type S3Event,
} from '../src/index';

const now = new Date('2024-11-04T12:00:00Z');
const minutesAgo = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

const batch = (id: number): IngestKey => ({
  kind: 'changes',
  table: 'sales_order',
  after: null,
  through: { lastUpdated: '2024-11-04 09:15:02.345', id },
});

function object(key: string, age: number): ListedObject {
  return { key, size: 10, eTag: `etag-${key.length}`, lastModified: minutesAgo(age) };
}

function listingOf(buckets: Readonly<Record<string, readonly ListedObject[]>>): ObjectListing {
  return {
    async *list(bucket, prefix) {
      yield* (buckets[bucket] ?? []).filter((stored) => stored.key.startsWith(prefix));
    },
  };
}

const ledgerOf = (keys: readonly string[]): LedgerQuery => ({
  loadedKeys: async () => new Set(keys),
});

const options = {
  ingestBucket: 'ingest',
  processedBucket: 'processed',
  graceSeconds: { transform: 300, load: 600 },
  tables: ['fact_sales_order'],
  now,
} as const;

describe('findUnconsumedObjects', () => {
  const consumed = ingestKey(batch(1));
  const missed = ingestKey(batch(2));
  const young = ingestKey(batch(3));
  const output = processedKey({ kind: 'rows', target: 'fact_sales_order', generation: 1, source: batch(1) });

  it('looks at the highest generation of each input whatever the listing order, and passes over stray keys', async () => {
    const generation = (n: number) =>
      processedKey({ kind: 'rows', target: 'fact_sales_order', generation: n, source: batch(1) });
    const listing = listingOf({
      ingest: [
        object(consumed, 60),
        // Not objects the pipeline writes: the extractor's state, a stray upload.
        object('sales_order/notes.txt', 60),
        object('sales_order/changes/not-a-watermark.jsonl.zst', 60),
      ],
      processed: [
        object(generation(2), 50),
        object(generation(1), 50),
        object('fact_sales_order/readme.txt', 50),
      ],
    });
    const found = await findUnconsumedObjects({ listing, ledger: ledgerOf([generation(1)]) }, options);

    // Generation 1 is loaded, but generation 2 supersedes it and is not.
    expect(found.transform).toEqual([]);
    expect(found.load.map((o) => o.key)).toEqual([generation(2)]);
    // Without a ledger the load stage is not looked at.
    expect(await findUnconsumedObjects({ listing }, options)).toEqual({ transform: [], load: [] });
  });

  it('leaves alone an object an operator gave up on, at the stage where it was given up', async () => {
    const processedMissed = processedKey({
      kind: 'rows',
      target: 'fact_sales_order',
      generation: 1,
      source: batch(2),
    });
    const listing = listingOf({
      ingest: [
        object(missed, 60),
        object(givenUpKey('transform', missed), 5),
        object(givenUpKey('load', processedMissed), 5),
      ],
      processed: [object(processedMissed, 50)],
    });
    const found = await findUnconsumedObjects({ listing, ledger: ledgerOf([]) }, options);
    expect(found).toEqual({ transform: [], load: [] });
    const withoutMarkers = listingOf({
      ingest: [object(missed, 60)],
      processed: [object(processedMissed, 50)],
    });
    const again = await findUnconsumedObjects({ listing: withoutMarkers, ledger: ledgerOf([]) }, options);
    expect(again.load.map((o) => o.key)).toEqual([processedMissed]);
  });
  it('reports an ingest object without its processed object, once older than its stage grace', async () => {
    const listing = listingOf({
      ingest: [object(consumed, 60), object(missed, 60), object(young, 4)],
      processed: [object(output, 50)],
    });
    const found = await findUnconsumedObjects({ listing, ledger: ledgerOf([output]) }, options);
    expect(found.transform.map((unconsumed) => unconsumed.key)).toEqual([missed]);
    expect(found.transform[0]).toMatchObject({
      stage: 'transform',
      table: 'fact_sales_order',
      bucket: 'ingest',
    });
    expect(found.load).toEqual([]);
  });

  it('reports a processed object missing from the ledger after the load grace, not before', async () => {
    const listing = listingOf({ ingest: [object(consumed, 60)], processed: [object(output, 9)] });
    const early = await findUnconsumedObjects({ listing, ledger: ledgerOf([]) }, options);
    expect(early.load).toEqual([]);
    const late = await findUnconsumedObjects(
      { listing, ledger: ledgerOf([]) },
      { ...options, now: minutesAgo(-2) },
    );
    expect(late.load.map((unconsumed) => [unconsumed.stage, unconsumed.key])).toEqual([['load', output]]);
  });
});

describe('requeueUnconsumed', () => {
  it("sends each object's ObjectCreated event to the queue of the stage that missed it", async () => {
    const sent: [string, readonly S3Event[]][] = [];
    const queues: EventQueue = { send: async (queue, events) => void sent.push([queue, events]) };
    const names = resourceNames('test');
    const key = ingestKey(batch(2));
    const requeued = await requeueUnconsumed(queues, names, 'eu-west-2', [
      { ...object(key, 60), stage: 'transform', table: 'fact_sales_order', bucket: 'ingest' },
    ]);
    expect(requeued).toEqual({ [names.queue('transform', 'fact_sales_order')]: 1 });
    const [queue, events] = sent[0] ?? ['', []];
    expect(queue).toBe(names.queue('transform', 'fact_sales_order'));
    expect(objectsCreated(JSON.stringify(events[0]))).toEqual([
      { bucket: 'ingest', key, size: 10, eTag: `etag-${key.length}` },
    ]);
  });
});
