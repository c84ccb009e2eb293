/** Why a message failed, which decides when it is tried again. */
export type FailureKind =
  /** The object or message can never load (corrupt, misrouted): retry at once, to reach the DLQ soon. */
  | 'bad-input'
  /** A fact's dimension rows are still on their way: back off and wait for them. */
  | 'waiting'
  /** The warehouse or S3 failed: back off and try again. */
  | 'transient';

/** How the loader spaces its retries. */
export interface RetryPolicy {
  /** The first backoff, doubled on every receive. */
  readonly baseSeconds: number;
  /** The longest backoff. */
  readonly maxSeconds: number;
  /** The queue's `maxReceiveCount`: the receive after which the message goes to its DLQ. */
  readonly maxReceiveCount: number;
}

// SQS refuses a visibility timeout above twelve hours.
const sqsLimitSeconds = 12 * 60 * 60;

/**
 * Seconds until a failed message should be received again: exponential backoff for waits and
 * outages (`base · 2^(receiveCount − 1)`, capped), none for bad input, and none on the last
 * receive, so a message that has used its attempts moves to the DLQ without a further wait.
 */
export function retryDelaySeconds(kind: FailureKind, receiveCount: number, policy: RetryPolicy): number {
  if (kind === 'bad-input' || receiveCount >= policy.maxReceiveCount) return 0;
  const exponent = Math.max(0, receiveCount - 1);
  const delay = policy.baseSeconds * 2 ** Math.min(exponent, 30);
  return Math.min(delay, policy.maxSeconds, sqsLimitSeconds);
}
