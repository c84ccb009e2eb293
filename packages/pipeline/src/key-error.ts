/** An S3 key that does not follow the pipeline's key layout. */
export class KeyLayoutError extends Error {
  override readonly name = 'KeyLayoutError';

  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`S3 key "${key}" does not follow the pipeline's key layout: ${reason}`);
  }
}
