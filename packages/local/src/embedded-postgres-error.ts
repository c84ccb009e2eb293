/** The embedded PostgreSQL could not be started or stopped; the message says what it reported. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';

  constructor(
    readonly dataDir: string,
    message: string,
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}
