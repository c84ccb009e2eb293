import type { ResourceNames } from '@totes/pipeline';
import type { QueueConnection } from './queue-connection';
import { requeueObjects } from './requeue-objects';
import type { UnconsumedObject } from './unconsumed-objects';

/** How many events were sent again, per queue. */
export type RequeuedEvents = Readonly<Record<string, number>>;

/**
 * Sends the ObjectCreated event of every unconsumed object (from `findUnconsumedObjects`) to the
 * queue of the stage that missed it (`<env>-transform-<table>` or `<env>-load-<table>`), as S3
 * would have. The stage does nothing for an object whose result it already has, so sending one
 * that was consumed meanwhile is harmless.
 */
export async function requeueUnconsumed(
  queues: Pick<QueueConnection, 'sqs' | 'queueUrl'>,
  names: ResourceNames,
  region: string,
  objects: readonly UnconsumedObject[],
): Promise<RequeuedEvents> {
  const byQueue = new Map<string, UnconsumedObject[]>();
  for (const object of objects) {
    const queue = names.queue(object.stage, object.table);
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), object]);
  }
  const sent: Record<string, number> = {};
  for (const [queue, batch] of byQueue) {
    const bucket = batch[0]?.bucket ?? '';
    sent[queue] = await requeueObjects(queues.sqs, queues.queueUrl(queue), bucket, region, batch);
  }
  return sent;
}
