import {
  type EventQueue,
  findUnconsumedObjects,
  type LedgerQuery,
  type ObjectListing,
  pipelineResources,
  type RequeuedEvents,
  type ResourceNames,
  reconcileGraceSeconds,
  requeueUnconsumed,
} from '@totes/pipeline';
import type { PipelineLogger, StageCountedMetrics } from '@totes/runtime';
import { type QueueDepth, reportDeadLetters } from './report-dead-letters';

/** The most keys a run names in its log line; the count is always complete. */
const keysLogged = 50;

/** A connection to the warehouse for one run: its load ledger, and how to let it go. */
export interface LedgerSession {
  readonly ledger: LedgerQuery;
  close(): Promise<void>;
}

/** What the reconciler works with; the Lambda entry builds them from its configuration. */
export interface ReconcileDeps {
  readonly names: ResourceNames;
  readonly region: string;
  readonly listing: ObjectListing;
  /** Opens the warehouse for one run. */
  readonly ledger: () => Promise<LedgerSession>;
  readonly queues: EventQueue;
  /** The depth of a queue or DLQ, to leave alone a table whose messages are on their way or failed. */
  readonly depth: QueueDepth;
  readonly logger: PipelineLogger;
  readonly metrics: StageCountedMetrics<'reconcile'>;
  readonly now?: () => Date;
}

/** What one run did. */
export interface ReconcileOutcome {
  readonly requeued: RequeuedEvents;
  readonly objects: number;
  /** Queues left alone this run, and why. */
  readonly left: Readonly<Record<string, 'queued' | 'dead-lettered'>>;
}

/**
 * The scheduled reconciler.
 *
 * Every stored object that its next stage has not consumed for longer than that stage may take
 * (`reconcileGraceSeconds`: its function timeout and batching window) has its ObjectCreated event
 * sent again to the queue of that stage. Every run logs what it did and emits `objects_requeued` (0
 * when nothing was missing), which an alarm watches: a lost notification is healed, and said. A
 * table whose stage queue holds messages is left for this run (a fact may be waiting, with backoff,
 * for its dimensions; the object may be among them), and one whose DLQ holds messages is left to
 * the operator (`totes dlq`): sending a failed object again would only fail it again.
 *
 * Every run first reads the depth of every DLQ of the topology (`reportDeadLetters`): a stage
 * whose DLQs hold messages gets `dead_letters`, which its alarm reads, and the log names the
 * tables. These are written before the warehouse is opened, so a run that then fails still
 * reports them.
 */
export function createReconcileHandler(deps: ReconcileDeps): () => Promise<ReconcileOutcome> {
  const { names, logger, metrics } = deps;
  const now = deps.now ?? (() => new Date());
  const queues = pipelineResources(names).queues;
  return async () => {
    const started = now();
    let deadLetters: ReadonlyMap<string, number>;
    try {
      deadLetters = await reportDeadLetters({ queues, depth: deps.depth, logger, metrics });
    } finally {
      metrics.flush();
    }
    const session = await deps.ledger();
    let objects: Awaited<ReturnType<typeof findUnconsumedObjects>>;
    try {
      objects = await findUnconsumedObjects(
        { listing: deps.listing, ledger: session.ledger },
        {
          ingestBucket: names.ingestBucket,
          processedBucket: names.processedBucket,
          graceSeconds: {
            transform: reconcileGraceSeconds('transform'),
            load: reconcileGraceSeconds('load'),
          },
          now: started,
        },
      );
    } finally {
      await session.close();
    }
    const left: Record<string, 'queued' | 'dead-lettered'> = {};
    const unconsumed: (typeof objects.transform)[number][] = [];
    for (const object of [...objects.transform, ...objects.load]) {
      const queue = names.queue(object.stage, object.table);
      if (!(queue in left)) {
        if ((deadLetters.get(names.deadLetterQueue(object.stage, object.table)) ?? 0) > 0)
          left[queue] = 'dead-lettered';
        else if ((await deps.depth(queue)) > 0) left[queue] = 'queued';
      }
      if (!(queue in left)) unconsumed.push(object);
    }
    if (Object.keys(left).length > 0) {
      logger.info('queues left alone this run: their messages are on their way, or for the operator', {
        left,
      });
    }
    const requeued = await requeueUnconsumed(deps.queues, names, deps.region, unconsumed, started);
    if (unconsumed.length > 0) {
      logger.warn('objects their stage had not consumed were queued again', {
        requeued,
        objects: unconsumed.length,
        keys: unconsumed.slice(0, keysLogged).map((object) => `s3://${object.bucket}/${object.key}`),
      });
    }
    logger.info('reconciled', {
      objects: unconsumed.length,
      durationMs: now().getTime() - started.getTime(),
    });
    metrics.add('objects_requeued', unconsumed.length);
    metrics.flush();
    return { requeued, objects: unconsumed.length, left };
  };
}
