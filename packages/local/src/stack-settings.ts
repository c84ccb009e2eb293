import type { QueueResource, StageName } from '@totes/pipeline';

/**
 * How the local stack differs from AWS, and only that: waits are shorter so a failed message
 * is retried within seconds rather than minutes, and the schedules run every few seconds.
 */
export const localStackSettings = {
  environment: 'local',
  region: 'eu-west-2',
  /** Seconds a received message stays invisible, by stage (AWS: six times the timeout). */
  visibilityTimeoutSeconds: { extract: 10, transform: 2, load: 2 } satisfies Record<StageName, number>,
  /** Function timeouts, by stage. */
  timeoutSeconds: { extract: 60, transform: 60, load: 60 } satisfies Record<StageName, number>,
  incrementalSeconds: 2,
  /**
   * How far behind now (and behind the oldest open writer) extraction stays: rows stamped more
   * recently may still be uncommitted. Loopback has no clock skew, so it is shorter than in AWS.
   */
  commitMarginMs: 1000,
  sweepSeconds: 60,
} as const;

/** The visibility timeout of a queue on the local stack. */
export function localVisibilityTimeout(queue: QueueResource): number {
  return localStackSettings.visibilityTimeoutSeconds[queue.stage];
}
