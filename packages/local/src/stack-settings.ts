import {
  type QueueResource,
  type RetryBackoff,
  type StageName,
  stageSettings,
  visibilityTimeoutFor,
} from '@totes/pipeline';

/**
 * How the local stack differs from AWS, and only that.
 *
 * A failed message is retried within
 * seconds rather than minutes, and the schedules run every few seconds. Visibility timeouts are
 * derived from the timeouts exactly as in AWS.
 */
export const localStackSettings = {
  environment: 'local',
  region: 'eu-west-2',
  /**
   * Function timeouts, by stage: the topology's, as in AWS. Every local function shares one
   * process, so on a busy machine a batch of ten 50,000-row objects could take over a minute; at
   * 60 s such batches timed out at scale factor 100 and came back only after their visibility
   * timeout, six minutes later, while the rest of the backfill had finished (decision 0019).
   */
  timeoutSeconds: {
    extract: stageSettings.extract.timeoutSeconds,
    transform: stageSettings.transform.timeoutSeconds,
    load: stageSettings.load.timeoutSeconds,
  } satisfies Record<StageName, number>,
  /** The backoff of failed messages, for every stage (AWS: each stage's `retry`). */
  retry: { baseSeconds: 1, maxSeconds: 5 } satisfies RetryBackoff,
  /**
   * How often every table is asked for its changes. Every second rather than every 2 s: a change
   * waits for the next request after its commit margin, and at 2 s that wait alone was a second
   * of the freshness p99 (`pnpm bench freshness`: p99 3.4 s at 2 s, 2.4 s at 1 s, with facts
   * waiting for their dimensions in the invocation). It costs the idle stack about 0.14 CPU-s a
   * second more (0.58 against 0.44 measured with totesys at scale factor 1).
   */
  incrementalSeconds: 1,
  /**
   * How far behind now (and behind the oldest open writer) extraction stays: rows stamped more
   * recently may still be uncommitted. Loopback has no clock skew, so it is shorter than in AWS.
   */
  commitMarginMs: 1000,
  sweepSeconds: 60,
} as const;

/** The visibility timeout of a queue on the local stack: six times its function's timeout. */
export function localVisibilityTimeout(queue: QueueResource): number {
  return visibilityTimeoutFor(localStackSettings.timeoutSeconds[queue.stage]);
}

/**
 * How many processes run the local stack's functions, set by `TOTES_FUNCTION_PROCESSES`.
 *
 * See function-pool.ts. None by default: the handlers then run in the stack's own process. Measured
 * on a 2-core machine shared with other work, processes cost each cold sync their start-up and
 * their own JIT warm-up (4.6 CPU-s more at scale factor 10) and were slower end to end
 * (docs/decisions/0013); on a machine with idle cores they let every core work.
 */
export function functionProcessCount(env: NodeJS.ProcessEnv = process.env): number {
  const setting = env.TOTES_FUNCTION_PROCESSES;
  if (setting === undefined || setting === '') return 0;
  const count = Number(setting);
  if (!Number.isInteger(count) || count < 0 || count > 64) {
    throw new Error(`TOTES_FUNCTION_PROCESSES must be a whole number from 0 to 64, not "${setting}"`);
  }
  return count;
}
