import { PipelineError } from '@totes/pipeline';

/**
 * A mapping rule that one source row breaks: the row is quarantined, the rest proceeds.
 *
 * A reference its snapshot does not hold, or a value the warehouse cannot take. Says which column
 * holds what, and why it cannot be mapped.
 */
export class RowContractError extends PipelineError {
  override readonly name = 'RowContractError';
  /** The column at fault, if one is. */
  readonly column: string | null;
  /** Its value. */
  readonly value: unknown;

  constructor(message: string, column: string | null, value: unknown) {
    super(message, { retryable: false });
    this.column = column;
    this.value = value;
  }
}
