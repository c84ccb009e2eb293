import { PipelineError, type StageSettings } from '@totes/pipeline';

/** Why a message failed, which decides when it is tried again. */
export type FailureKind =
  /** The message or its object can never succeed (corrupt, misrouted): retry at once, to reach the DLQ soon. */
  | 'bad-input'
  /** What the message needs is still on its way (a fact's dimension rows): back off and wait for it. */
  | 'waiting'
  /** A database, S3 or the network failed: back off and try again. */
  | 'transient';

/**
 * The {@link FailureKind} of an error, by what it says of itself.
 *
 * A {@link PipelineError} that is not retryable (a malformed object, notification or key among
 * them) is bad input; anything else (a lost
 * connection, a throttled request, an error nobody classified) is transient, so it is retried
 * rather than dead-lettered at once.
 */
export function failureKindOf(error: unknown): FailureKind {
  if (error instanceof PipelineError && !error.retryable) return 'bad-input';
  return 'transient';
}

/** How a stage spaces the retries of a failed message. */
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
 * Seconds until a failed message should be received again.
 *
 * Exponential backoff for waits and outages (`base · 2^(receiveCount − 1)`, capped), none for bad
 * input, and none on the last receive, so a message that has used its attempts moves to the DLQ
 * without a further wait.
 */
export function retryDelaySeconds(kind: FailureKind, receiveCount: number, policy: RetryPolicy): number {
  if (kind === 'bad-input' || receiveCount >= policy.maxReceiveCount) return 0;
  const exponent = Math.max(0, receiveCount - 1);
  const delay = policy.baseSeconds * 2 ** Math.min(exponent, 30);
  return Math.min(delay, policy.maxSeconds, sqsLimitSeconds);
}

/** The {@link RetryPolicy} a stage's settings declare: its backoff and its queue's receives. */
export function retryPolicyOf(settings: Pick<StageSettings, 'retry' | 'maxReceiveCount'>): RetryPolicy {
  return { ...settings.retry, maxReceiveCount: settings.maxReceiveCount };
}
