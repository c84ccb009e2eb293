import { PipelineError } from './pipeline-error';

/** An S3 key that does not follow the pipeline's key layout; retrying cannot help. */
export class KeyLayoutError extends PipelineError {
  override readonly name = 'KeyLayoutError';

  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`S3 key "${key}" does not follow the pipeline's key layout: ${reason}`, {
      retryable: false,
      objectKey: key,
    });
  }
}
