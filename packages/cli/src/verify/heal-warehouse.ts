import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  compactTimestampOf,
  extractMessage,
  type ResourceNames,
  requeueUnconsumed,
  type SourceTableName,
  type TargetTableName,
  type UnconsumedObjects,
  warehouseTables,
} from '@totes/pipeline';
import { sqsEventQueue } from '@totes/runtime';
import pg from 'pg';
import type { QueueConnection } from '../stack/queue-connection';
import { loadInputs, requeueObjects } from '../stack/requeue-objects';
import type { TableDifference } from './table-difference';

/** Where healing sends its events and requests: a local stack or a deployment in AWS. */
export interface HealTarget {
  readonly queues: QueueConnection;
  readonly names: ResourceNames;
  readonly region: string;
  readonly s3: S3Client;
  readonly warehouseUrl: string;
}

/** One thing healing did, for the report. */
export interface HealAction {
  readonly action: 'requeue-unconsumed' | 'reload-table' | 'full-extraction';
  readonly table?: string;
  /** Events sent, or the source tables asked for a full extraction. */
  readonly events?: number;
  readonly sources?: readonly SourceTableName[];
}

/** Sends the events of the objects the pipeline has not consumed to the stages that missed them. */
export async function requeueMissedEvents(
  target: HealTarget,
  unconsumed: UnconsumedObjects,
): Promise<HealAction[]> {
  const objects = [...unconsumed.transform, ...unconsumed.load];
  if (objects.length === 0) return [];
  const sent = await requeueUnconsumed(
    sqsEventQueue(target.queues.sqs, target.queues.queueUrl),
    target.names,
    target.region,
    objects,
  );
  return [{ action: 'requeue-unconsumed', events: Object.values(sent).reduce((sum, n) => sum + n, 0) }];
}

/**
 * Loads a warehouse table again from its stored processed objects.
 *
 * Forgets the table's objects in the load ledger, then sends each object's event (at its latest
 * generation) to the table's load queue. The processed objects are immutable and hold every version
 * the pipeline observed, so this restores deleted fact rows with their history; the loader appends
 * only the versions a fact does not hold (facts are deduplicated by content) and upserts dimension
 * rows whose values differ, under the version guard, so nothing present is doubled and nothing
 * newer overwritten. Re-transforming would not help: the transformer finds its outputs written and
 * stops there.
 */
export async function reloadTable(target: HealTarget, table: TargetTableName): Promise<HealAction> {
  const objects = await loadInputs(target.s3, target.names.processedBucket, table);
  const client = new pg.Client({ connectionString: target.warehouseUrl });
  await client.connect();
  try {
    await client.query('DELETE FROM etl.load_ledger WHERE table_name = $1', [table]);
  } finally {
    await client.end();
  }
  const queue = target.names.queue('load', table);
  const events = await requeueObjects(
    target.queues.sqs,
    target.queues.queueUrl(queue),
    target.names.processedBucket,
    target.region,
    objects,
  );
  return { action: 'reload-table', table, events };
}

/**
 * Asks for a full re-extraction of a table's inputs.
 *
 * For differences the stored objects cannot explain (a source change no object holds): the
 * extractor reads every row again, and transform and load follow, keeping each row once.
 */
export async function requestFullExtraction(target: HealTarget, table: TargetTableName): Promise<HealAction> {
  const sources = warehouseTables[table].inputs as readonly SourceTableName[];
  const requestedAt = new Date();
  const run = compactTimestampOf(requestedAt);
  for (const source of sources) {
    const request = { mode: 'full', table: source, run, requestedAt: requestedAt.toISOString() } as const;
    await target.queues.sqs.send(
      new SendMessageCommand({
        QueueUrl: target.queues.queueUrl(target.names.queue('extract', source)),
        ...extractMessage(request, `verify-heal-${source}-${run}`),
      }),
    );
  }
  return { action: 'full-extraction', table, sources };
}

/** Whether replaying stored objects can repair a difference: only what is missing or stale. */
export const replayable = (difference: TableDifference): boolean =>
  difference.error === undefined && difference.missing + difference.different > 0;
