import { PipelineError } from '@totes/pipeline';

/** Dimension keys a fact object references that the warehouse does not hold yet, by dimension. */
export type MissingKeys = Readonly<Record<string, readonly string[]>>;

/**
 * A fact object references dimension rows that are not loaded yet (a new staff member's first sale).
 *
 * Retryable: the message waits with backoff until the dimension arrives, and only a wait longer
 * than the queue's receive limit sends it to the DLQ.
 */
export class MissingDimensionError extends PipelineError {
  override readonly name = 'MissingDimensionError';

  constructor(
    table: string,
    readonly key: string,
    readonly missing: MissingKeys,
    /** The rows of the object, when known: a small one is worth waiting for in the same invocation. */
    readonly rows?: number,
  ) {
    const list = Object.entries(missing)
      .map(([dimension, keys]) => `${dimension} ${keys.join(', ')}`)
      .join('; ');
    super(
      `${table} object ${key} references dimension rows not loaded yet: ${list}. It is retried ` +
        'until they are; if it reached the DLQ, load those dimension rows, then redrive it.',
      { retryable: true, table, objectKey: key },
    );
  }
}
