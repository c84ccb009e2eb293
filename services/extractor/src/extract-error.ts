import { PipelineError } from '@totes/runtime';

/**
 * An extraction that failed: which table, in which mode, and why (`cause`). Nothing was written
 * for the part that failed; the watermark stays where the last written object left it, so the
 * retry resumes from there.
 */
export class ExtractError extends PipelineError {
  override readonly name = 'ExtractError';

  constructor(
    readonly table: string,
    message: string,
    options: ErrorOptions & { readonly retryable?: boolean } = {},
  ) {
    super(`${table}: ${message}`, options);
  }
}
