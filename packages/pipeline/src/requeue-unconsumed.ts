import type { ResourceNames } from './resource-names';
import { type S3Event, s3Event } from './s3-event';
import type { ListedObject, UnconsumedObject } from './unconsumed-objects';

/** How many events were sent again, per queue. */
export type RequeuedEvents = Readonly<Record<string, number>>;

/** The one thing requeueing needs of a deployment's queues: to send events to one, by name. */
export interface EventQueue {
  /** Sends `events` to the queue named `queue`, each as one message body (its JSON). */
  send(queue: string, events: readonly S3Event[]): Promise<void>;
}

/**
 * The ObjectCreated events S3 would have sent for `objects` of `bucket`, at `eventTime`.
 *
 * Their sequencers grow in the order given; `configurationId` tells who sent them again.
 */
export function objectCreatedEvents(
  bucket: string,
  region: string,
  objects: readonly Pick<ListedObject, 'key' | 'size' | 'eTag'>[],
  eventTime: Date,
  configurationId: string,
): S3Event[] {
  return objects.map((object, index) =>
    s3Event(
      {
        bucket,
        key: object.key,
        size: object.size,
        eTag: object.eTag,
        region,
        eventTime,
        sequencer: (eventTime.getTime() * 1000 + index).toString(16).toUpperCase(),
      },
      configurationId,
    ),
  );
}

/**
 * Sends the ObjectCreated event of every unconsumed object to the stage that missed it.
 *
 * The objects come from `findUnconsumedObjects`; each event goes to `<env>-transform-<table>` or
 * `<env>-load-<table>`, as S3 would have sent it. The stage does nothing for an object whose result
 * it already has, so sending one that was consumed meanwhile is harmless.
 */
export async function requeueUnconsumed(
  queues: EventQueue,
  names: ResourceNames,
  region: string,
  objects: readonly UnconsumedObject[],
  now: Date = new Date(),
): Promise<RequeuedEvents> {
  const byQueue = new Map<string, UnconsumedObject[]>();
  for (const object of objects) {
    const queue = names.queue(object.stage, object.table);
    byQueue.set(queue, [...(byQueue.get(queue) ?? []), object]);
  }
  const sent: Record<string, number> = {};
  for (const [queue, batch] of byQueue) {
    const bucket = batch[0]?.bucket ?? '';
    await queues.send(queue, objectCreatedEvents(bucket, region, batch, now, 'totes-reconcile'));
    sent[queue] = batch.length;
  }
  return sent;
}
