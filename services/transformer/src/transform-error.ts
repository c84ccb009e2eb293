import { PipelineError } from '@totes/pipeline';

/**
 * A transformation that cannot produce its warehouse rows.
 *
 * A reference to a row the input does not hold, a value the warehouse column cannot take, or an
 * object this transform is not built from. The message names the table, the object or row, and what
 * to check.
 */
export class TransformError extends PipelineError {
  override readonly name = 'TransformError';
}
