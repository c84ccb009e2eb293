import { PipelineError, type PipelineErrorOptions } from '@totes/pipeline';

/**
 * An extraction that failed: which table, in which mode, and why (`cause`).
 *
 * Nothing was written for the part that failed; the watermark stays where the last written object
 * left it, so the retry resumes from there.
 */
export class ExtractError extends PipelineError {
  override readonly name = 'ExtractError';

  constructor(table: string, message: string, options: Omit<PipelineErrorOptions, 'table'> = {}) {
    super(`${table}: ${message}`, { ...options, table });
  }
}
