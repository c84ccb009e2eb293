import { KeyLayoutError, NotificationError } from '@totes/pipeline';
import { PipelineError } from '@totes/runtime';
import { MissingDimensionError } from './missing-dimension-error';
import type { FailureKind } from './retry-delay';

/** Classifies a failed message's error: bad input, a wait for dimensions, or a transient failure. */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof MissingDimensionError) return 'waiting';
  if (error instanceof NotificationError || error instanceof KeyLayoutError) return 'bad-input';
  if (error instanceof PipelineError && !error.retryable) return 'bad-input';
  return 'transient';
}
