import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  inputPrefixes,
  objectCreatedEvents,
  sourceTables,
  type TargetTableName,
  warehouseTables,
} from '@totes/pipeline';

/** An object whose ObjectCreated event is sent again. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
}

async function listObjects(s3: S3Client, bucket: string, prefix: string): Promise<StoredObject[]> {
  const objects: StoredObject[] = [];
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket, Prefix: prefix })) {
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      objects.push({ key: object.Key, size: object.Size ?? 0, eTag: (object.ETag ?? '').replace(/"/g, '') });
    }
  }
  return objects;
}

/**
 * The ingest objects a warehouse table is transformed from.
 *
 * Every object of an event table, and the latest snapshot of a reference table (a dimension is
 * rebuilt from the latest snapshots of its inputs whichever snapshot's event starts it, so one
 * event is enough).
 */
export async function transformInputs(
  s3: S3Client,
  ingestBucket: string,
  target: TargetTableName,
): Promise<StoredObject[]> {
  const prefixes = inputPrefixes(target);
  const inputs = warehouseTables[target].inputs;
  const objects: StoredObject[] = [];
  for (const [index, prefix] of prefixes.entries()) {
    const listed = await listObjects(s3, ingestBucket, prefix);
    const input = inputs[index];
    const reference = input !== undefined && sourceTables[input].kind === 'reference';
    // Snapshot keys sort by the time they were taken.
    objects.push(...(reference ? listed.slice(-1) : listed));
  }
  return objects;
}

/**
 * The processed objects of a warehouse table to load again.
 *
 * For each input (the key after `<table>/g<generation>/`), the object of its highest generation,
 * which supersedes the others.
 */
export async function loadInputs(
  s3: S3Client,
  processedBucket: string,
  target: TargetTableName,
): Promise<StoredObject[]> {
  const latest = new Map<string, { generation: number; object: StoredObject }>();
  for (const object of await listObjects(s3, processedBucket, `${target}/`)) {
    const match = /^[^/]+\/g(\d+)\/(.+)$/.exec(object.key);
    if (!match?.[1] || !match[2]) continue;
    const generation = Number(match[1]);
    const known = latest.get(match[2]);
    if (!known || known.generation < generation) latest.set(match[2], { generation, object });
  }
  return [...latest.values()].map((entry) => entry.object).sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * Sends each object's ObjectCreated event straight to a stage's queue, ten to a batch.
 *
 * The event is the JSON S3 itself sends; the stage treats it like any other (and does nothing for
 * an object whose result it already has). Returns how many were sent.
 */
export async function requeueObjects(
  sqs: SQSClient,
  queueUrl: string,
  bucket: string,
  region: string,
  objects: readonly StoredObject[],
  progress: (sent: number) => void = () => undefined,
): Promise<number> {
  const events = objectCreatedEvents(bucket, region, objects, new Date(), 'totes-reprocess');
  let sent = 0;
  for (let start = 0; start < events.length; start += 10) {
    const batch = events.slice(start, start + 10);
    const { Failed } = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((event, index) => ({ Id: String(index), MessageBody: JSON.stringify(event) })),
      }),
    );
    if (Failed && Failed.length > 0) {
      const first = Failed[0];
      throw new Error(
        `${Failed.length} events were refused by the queue: ${first?.Code} ${first?.Message ?? ''}`,
      );
    }
    sent += batch.length;
    progress(sent);
  }
  return sent;
}
