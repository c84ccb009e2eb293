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
 * Turns a database secret (`{"host", "port", "username", "password", "dbname"}`) into a
 * connection string, encoding each part. Throws without echoing the secret when it is malformed.
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
