import { PipelineError } from '@totes/pipeline';

/**
 * A mapping rule that one source row breaks (a reference its snapshot does not hold, a value the
 * warehouse cannot take): the row is quarantined, the rest of its object proceeds. Says which
 * column holds what, and why it cannot be mapped.
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
