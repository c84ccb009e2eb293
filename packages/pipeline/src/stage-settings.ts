import { sourceTableNames } from './source-tables';

/** One processing stage: a queue per table feeding one function per table. */
export interface StageSettings {
  /** FIFO queues keep one extraction per table running at a time (`MessageGroupId` = table). */
  readonly fifo: boolean;
  /** The function's timeout. */
  readonly timeoutSeconds: number;
  /** Receives before a message moves to its DLQ. */
  readonly maxReceiveCount: number;
  /** Messages per invocation. */
  readonly batchSize: number;
  /** How long the event source waits to fill a batch. */
  readonly batchWindowSeconds: number;
  /**
   * Invocations of one table's function the local runner (`packages/local`) runs at once: its
   * number of pollers of the table's queue.
   */
  readonly localConcurrency: number;
  /**
   * The maximum concurrency of the stage's Lambda event sources in AWS, or `undefined` for none.
   *
   * Set only where it protects something: a source with a maximum keeps five pollers of its queue
   * at idle, one without may fall to two (AWS Lambda guide, "Configuring scaling behavior for SQS
   * event source mappings"), and each poller is billed SQS requests (docs/cost.md).
   */
  readonly eventSourceMaxConcurrency: number | undefined;
  readonly memoryMb: number;
  /** Node.js options of the stage's functions (`NODE_OPTIONS` in Lambda). */
  readonly nodeOptions: readonly string[];
  /** How a failed message's retries are spaced (the handler sets its visibility). */
  readonly retry: RetryBackoff;
}

/**
 * Exponential backoff of a failed message: `baseSeconds · 2^(receiveCount − 1)`, capped at `maxSeconds`.
 *
 * A message that can never succeed is retried at once instead, so it reaches its DLQ after
 * `maxReceiveCount` real attempts within seconds, not after the visibility timeout.
 */
export interface RetryBackoff {
  readonly baseSeconds: number;
  readonly maxSeconds: number;
}

/**
 * Caps V8's young generation at 16 MB. Left alone it doubles during a long streaming run (1 → 64
 * MB), and the functions' peak memory grows with the size of the object: measured on the
 * transformer, 207 MB at 1M rows and 296 MB at 3M; capped, 184 MB and 203 MB at the same speed.
 */
const boundedYoungGeneration = ['--max-semi-space-size=16'] as const;

/**
 * The settings of the three stages' queues and functions.
 *
 * Visibility timeouts are derived (six times the function timeout, as AWS advises for SQS event
 * sources), so a message being processed is never received twice; a failed message comes back after
 * the stage's `retry` backoff, which its handler sets. Loads allow many receives because a fact
 * waits, with backoff, for dimension rows that are still on their way; it must not be dead-lettered
 * for that. Five receives elsewhere, as AWS advises for Lambda event sources, so one crash of a
 * worker does not use up a message's attempts.
 */
export const stageSettings = {
  extract: {
    fifo: true,
    timeoutSeconds: 300,
    maxReceiveCount: 5,
    batchSize: 1,
    batchWindowSeconds: 0,
    // One poller a source table: the extract queue's message groups hand out one batch of a
    // table at a time, so more would wait (the emulator locks a group while a batch is in flight).
    localConcurrency: sourceTableNames.length,
    // A FIFO queue with one message group per table hands out one batch of a table at a time.
    eventSourceMaxConcurrency: undefined,
    memoryMb: 512,
    nodeOptions: boundedYoungGeneration,
    retry: { baseSeconds: 10, maxSeconds: 120 },
  },
  transform: {
    fifo: false,
    timeoutSeconds: 300,
    maxReceiveCount: 5,
    batchSize: 10,
    batchWindowSeconds: 0,
    localConcurrency: 2,
    // Transformers touch no database: they may scale with the backlog (docs/decisions/0020).
    eventSourceMaxConcurrency: undefined,
    memoryMb: 512,
    nodeOptions: boundedYoungGeneration,
    retry: { baseSeconds: 10, maxSeconds: 300 },
  },
  load: {
    fifo: false,
    timeoutSeconds: 300,
    maxReceiveCount: 12,
    batchSize: 10,
    batchWindowSeconds: 0,
    localConcurrency: 2,
    // Each loader holds a warehouse connection: two per table at most keeps to its limit.
    eventSourceMaxConcurrency: 2,
    memoryMb: 512,
    nodeOptions: boundedYoungGeneration,
    retry: { baseSeconds: 10, maxSeconds: 900 },
  },
} as const satisfies Record<string, StageSettings>;

/** Name of a processing stage. */
export type StageName = keyof typeof stageSettings;

/** Every stage, in data-flow order. */
export const stageNames = Object.keys(stageSettings) as readonly StageName[];

/**
 * The visibility timeout of a queue whose function times out after `timeoutSeconds`.
 *
 * Six times as long, as AWS advises, so no message is received again while an invocation still
 * runs.
 */
export function visibilityTimeoutFor(timeoutSeconds: number): number {
  return timeoutSeconds * 6;
}

/** The visibility timeout of a stage's queue. */
export function visibilityTimeoutSeconds(stage: StageName): number {
  return visibilityTimeoutFor(stageSettings[stage].timeoutSeconds);
}

/**
 * How long an object may wait for its stage before reconciliation calls it unconsumed.
 *
 * The stage's function timeout plus its batching window, the longest a notification that arrived
 * can take to become a result. Younger objects may still be on their way.
 */
export function reconcileGraceSeconds(stage: StageName): number {
  return stageSettings[stage].timeoutSeconds + stageSettings[stage].batchWindowSeconds;
}
