import { type QueueResource, type RetryBackoff, type StageName, visibilityTimeoutFor } from '@totes/pipeline';

/**
 * How the local stack differs from AWS, and only that: functions time out sooner, a failed
 * message is retried within seconds rather than minutes, and the schedules run every few
 * seconds. Visibility timeouts are derived from the timeouts exactly as in AWS.
 */
export const localStackSettings = {
  environment: 'local',
  region: 'eu-west-2',
  /** Function timeouts, by stage. */
  timeoutSeconds: { extract: 60, transform: 60, load: 60 } satisfies Record<StageName, number>,
  /** The backoff of failed messages, for every stage (AWS: each stage's `retry`). */
  retry: { baseSeconds: 1, maxSeconds: 5 } satisfies RetryBackoff,
  incrementalSeconds: 2,
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
