import { CliError } from '../cli-error';

/** Which of the pipeline's two databases. */
export type DatabaseRole = 'totesys' | 'warehouse';

/** A database the pipeline needs cannot be used: which one, and what to check. */
export class DatabaseCheckError extends CliError {
  override readonly name = 'DatabaseCheckError';

  constructor(
    readonly database: DatabaseRole,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, 1, options);
  }
}
