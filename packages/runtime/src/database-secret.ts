import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError } from '@totes/pipeline';
import { z } from 'zod';

/** The JSON of an RDS-style database secret in Secrets Manager. */
const DatabaseSecret = z.object({
  host: z.string().min(1),
  port: z.coerce.number().int().positive().default(5432),
  username: z.string().min(1),
  password: z.string(),
  dbname: z.string().min(1),
});

/**
 * Turns a database secret into a connection string, encoding each part.
 *
 * The secret is `{"host", "port", "username", "password", "dbname"}`. Throws without echoing the
 * secret when it is malformed.
 */
export function connectionStringFromSecret(secret: string): string {
  let parsed: ReturnType<typeof DatabaseSecret.safeParse>;
  try {
    parsed = DatabaseSecret.safeParse(JSON.parse(secret));
  } catch {
    throw new Error('the database secret is not JSON');
  }
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`the database secret lacks valid fields: ${fields}`);
  }
  const { host, port, username, password, dbname } = parsed.data;
  const encode = encodeURIComponent;
  return `postgresql://${encode(username)}:${encode(password)}@${host}:${port}/${encode(dbname)}`;
}

/**
 * Reads a database secret from Secrets Manager and returns it as a connection string.
 *
 * Errors name the secret's ARN, never its value.
 */
export async function connectionStringFromSecretArn(
  secretArn: string,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): Promise<string> {
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!SecretString) throw new Error(`the secret ${secretArn} has no string value`);
  try {
    return connectionStringFromSecret(SecretString);
  } catch (error) {
    throw new Error(`the secret ${secretArn}: ${(error as Error).message}`);
  }
}

/**
 * A connection string resolved at most once while it works.
 *
 * The first call fetches it, later calls reuse it; a failed fetch, or
 * {@link CachedConnectionString.forget} (after the database refused the password, say, because the
 * secret was rotated), makes the next call fetch again.
 */
export interface CachedConnectionString {
  get(): Promise<string>;
  forget(): void;
}

/** Caches `fetch` as {@link CachedConnectionString}. */
export function cachedConnectionString(fetch: () => Promise<string>): CachedConnectionString {
  let pending: Promise<string> | undefined;
  return {
    get() {
      pending ??= fetch().catch((error: unknown) => {
        pending = undefined;
        throw error;
      });
      return pending;
    },
    forget() {
      pending = undefined;
    },
  };
}

/**
 * The cached connection string of a database given either way a stage's environment allows.
 *
 * A connection string (local runs) is used as it is; a Secrets Manager secret (AWS) is read at
 * the first use and again after {@link CachedConnectionString.forget}.
 */
export function databaseConnectionString(
  way: { readonly url?: string | undefined; readonly secretArn?: string | undefined },
  readSecret: (secretArn: string) => Promise<string> = connectionStringFromSecretArn,
): CachedConnectionString {
  const { url, secretArn } = way;
  if (url !== undefined) return cachedConnectionString(async () => url);
  if (secretArn === undefined)
    throw new ConfigError('neither a connection string nor a secret ARN was given');
  return cachedConnectionString(() => readSecret(secretArn));
}
