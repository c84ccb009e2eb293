import { PipelineError } from '@totes/pipeline';

/**
 * The dashboard's secret names a role other than the dashboard's.
 *
 * The refresh gives its password
 * to the read-only role only, never to a role the secret happens to name (which could be the
 * owner's). Not retryable: the secret must be corrected.
 */
export class DashboardSecretError extends PipelineError {
  override readonly name = 'DashboardSecretError';

  constructor(secretArn: string, found: string, expected: string) {
    super(
      `the secret ${secretArn} is for the role "${found}", not the dashboard's read-only role "${expected}": ` +
        `write "username": "${expected}" in it (the refresh gives that role the secret's password)`,
      { retryable: false },
    );
  }
}
