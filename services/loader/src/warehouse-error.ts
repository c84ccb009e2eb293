import { PipelineError } from '@totes/pipeline';

/**
 * The warehouse could not be reached or failed a statement while an object was loading.
 *
 * The object's transaction was rolled back, so nothing of it is visible; the message is retried
 * with backoff and, after the queue's receive limit, dead-lettered for a redrive.
 */
export class WarehouseError extends PipelineError {
  override readonly name = 'WarehouseError';

  constructor(
    table: string,
    readonly key: string | undefined,
    cause: unknown,
  ) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const code = (cause as { code?: unknown } | undefined)?.code;
    super(
      `the warehouse failed while loading ${key ?? `a ${table} batch`}: ${detail}` +
        `${typeof code === 'string' ? ` (${code})` : ''}; nothing of the object was committed, it will be retried`,
      { cause, retryable: true, table, ...(key === undefined ? {} : { objectKey: key }) },
    );
  }
}
