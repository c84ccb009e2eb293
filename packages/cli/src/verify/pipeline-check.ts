import { messageCounts, totalOf } from '@totes/local';
import {
  findUnconsumedObjects,
  type ObjectListing,
  type ResourceNames,
  type TargetTableName,
  type UnconsumedObjects,
} from '@totes/pipeline';
import { postgresLedgerQuery } from '@totes/runtime/postgres-ledger-query';
import pg from 'pg';
import type { QueueConnection } from '../stack/queue-connection';

/** What the pipeline's own bookkeeping says. */
export interface PipelineCheck {
  readonly unconsumed: UnconsumedObjects;
  /** Whether processed objects were checked against the load ledger (it needs the warehouse). */
  readonly ledgerChecked: boolean;
  /** Each dead-letter queue that holds messages, and how many. */
  readonly deadLetters: readonly { readonly queue: string; readonly messages: number }[];
}

/** Whether the bookkeeping found anything. */
export const pipelineDiffers = (check: PipelineCheck): boolean =>
  check.unconsumed.transform.length + check.unconsumed.load.length + check.deadLetters.length > 0;

/**
 * Checks the pipeline's bookkeeping.
 *
 * Every stored object consumed by its next stage (older than `graceSeconds`), and every DLQ empty.
 */
export async function checkPipeline(
  queues: QueueConnection,
  names: ResourceNames,
  listing: ObjectListing,
  warehouseUrl: string | undefined,
  graceSeconds: number,
  tables?: readonly TargetTableName[],
): Promise<PipelineCheck> {
  const client = warehouseUrl ? new pg.Client({ connectionString: warehouseUrl }) : undefined;
  await client?.connect();
  try {
    const unconsumed = await findUnconsumedObjects(
      { listing, ...(client ? { ledger: postgresLedgerQuery(client) } : {}) },
      {
        ingestBucket: names.ingestBucket,
        processedBucket: names.processedBucket,
        graceSeconds,
        ...(tables ? { tables } : {}),
      },
    );
    const deadLetters: { queue: string; messages: number }[] = [];
    for (const queue of queues.resources.queues) {
      const messages = totalOf(await messageCounts(queues.sqs, queues.queueUrl(queue.deadLetterQueue)));
      if (messages > 0) deadLetters.push({ queue: queue.deadLetterQueue, messages });
    }
    return { unconsumed, ledgerChecked: client !== undefined, deadLetters };
  } finally {
    await client?.end();
  }
}
