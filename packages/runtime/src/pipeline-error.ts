/**
 * The base of every error the pipeline raises on purpose. Each subclass names what failed
 * (table, object, line) and what to do, and chains the underlying `cause`.
 */
export class PipelineError extends Error {
  override readonly name: string = 'PipelineError';

  /** Whether retrying the same message could succeed (a database outage) or never will (bad input). */
  readonly retryable: boolean;

  constructor(message: string, options: ErrorOptions & { readonly retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? {} : { cause: options.cause });
    this.retryable = options.retryable ?? true;
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
    super(`${key}${line === undefined ? '' : `, line ${line}`}: ${reason}`, { ...options, retryable: false });
  }
}

/** An error as a log field: its name, message and cause (as text), or the thrown value as text. */
export function describeError(error: unknown): { name?: string; message: string; cause?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  return {
    name: error.name,
    message: error.message,
    ...(error.cause === undefined ? {} : { cause: String(error.cause) }),
  };
}
