/** What a {@link PipelineError} concerns and whether retrying could help. */
export interface PipelineErrorOptions extends ErrorOptions {
  /** Whether retrying the same message could succeed (a database outage) or never will (bad input); default `true`. */
  readonly retryable?: boolean;
  /** The table the failure concerns, when one does. */
  readonly table?: string;
  /** The S3 object the failure concerns, when one does. */
  readonly objectKey?: string;
}

/**
 * The base of every error the pipeline raises on purpose.
 *
 * Each subclass names what failed (table, object, line) and what to do, and chains the
 * underlying `cause`; `retryable` tells the queue handler whether to back off or dead-letter at once.
 */
export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';

  /** Whether retrying the same message could succeed (a database outage) or never will (bad input). */
  readonly retryable: boolean;
  /** The table the failure concerns, when one does. */
  readonly table: string | undefined;
  /** The S3 object the failure concerns, when one does. */
  readonly objectKey: string | undefined;

  constructor(message: string, options: PipelineErrorOptions = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.retryable = options.retryable ?? true;
    this.table = options.table;
    this.objectKey = options.objectKey;
  }
}

/** Configuration that is missing or malformed: the function cannot start. */
export class ConfigError extends PipelineError {
  override readonly name = 'ConfigError';
}

/** An input object that cannot be read as the pipeline expects. Retrying will not help. */
export class MalformedObjectError extends PipelineError {
  override readonly name = 'MalformedObjectError';

  constructor(
    readonly key: string,
    readonly line: number | undefined,
    reason: string,
    options: ErrorOptions = {},
  ) {
    super(`${key}${line === undefined ? '' : `, line ${line}`}: ${reason}`, {
      ...options,
      retryable: false,
      objectKey: key,
    });
  }
}
