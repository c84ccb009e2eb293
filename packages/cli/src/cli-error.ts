/** A failure the user can act on: printed as its message alone, without a stack. */
export class CliError extends Error {
  override readonly name: string = 'CliError';

  constructor(
    message: string,
    readonly exitCode = 1,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A command line that cannot be run as given (an unknown table, a missing argument, a bad flag).
 *
 * Exit code 2, reported before anything looks for a stack. `details` go into the JSON error as they
 * are (`{ tables: [...] }`), so a script can correct itself.
 */
export class UsageError extends CliError {
  override readonly name: string = 'UsageError';

  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message, 2);
  }
}
