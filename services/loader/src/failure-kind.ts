import { type FailureKind, failureKindOf } from '@totes/runtime';
import { MissingDimensionError } from './missing-dimension-error';

/**
 * Classifies a failed load.
 *
 * A fact waiting for its dimension rows (backed off, never counted as bad input), otherwise as
 * every stage does ({@link failureKindOf}).
 */
export function failureKind(error: unknown): FailureKind {
  if (error instanceof MissingDimensionError) return 'waiting';
  return failureKindOf(error);
}
