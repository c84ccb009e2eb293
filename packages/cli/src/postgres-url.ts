import { UsageError } from './cli-error';

/**
 * Checks a PostgreSQL connection string given as `what` (`--totesys-url`, `TOTESYS_URL`).
 *
 * pg reads only URLs (`postgresql://user:password@host:port/database`): a keyword/value string
 * (`host=… dbname=…`) or a bare word would be read as a host name (`getaddrinfo ENOTFOUND base`),
 * so both are refused here. The value is never repeated: it may hold a password.
 */
export function checkPostgresUrl(value: string, what: string): string {
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {}
  if (protocol === 'postgres:' || protocol === 'postgresql:') return value;
  const keywords = /^\s*\w+\s*=/.test(value)
    ? ' (a keyword/value string such as "host=… dbname=…" is not read)'
    : '';
  throw new UsageError(
    `${what} is not a PostgreSQL connection string: expected postgresql://user:password@host:port/database${keywords}`,
  );
}

/** A commander parser for a connection string option (see {@link checkPostgresUrl}). */
export const postgresUrlParser =
  (what: string) =>
  (value: string): string =>
    checkPostgresUrl(value, what);
