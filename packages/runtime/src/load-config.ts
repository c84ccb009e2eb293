import { ConfigError } from '@totes/pipeline';
import { z } from 'zod';

/**
 * Parses environment variables into a typed configuration at cold start, failing with one
 * message that lists every variable that is missing or wrong, so a person can fix them at once.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`,
  );
  throw new ConfigError(`the function's configuration is invalid:\n${problems.join('\n')}`, {
    retryable: false,
  });
}

/** A positive whole number given as an environment variable. */
export const envInteger = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `true` or `false` (or `1` or `0`) given as an environment variable (`S3_FORCE_PATH_STYLE`). */
export const envBoolean = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** A `postgresql://user:password@host:port/database` connection string given as a variable. */
export const envPostgresUrl = () =>
  z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgresql:// connection string');

/**
 * The refinement of a database's two ways in, a connection string (local runs) or a Secrets
 * Manager secret (AWS): exactly one must be set. Neither value is ever put in the message.
 */
export function exactlyOneOf<K extends string>(
  urlKey: K,
  secretKey: K,
): [(env: Partial<Record<K, unknown>>) => boolean, { message: string; path: string[] }] {
  return [
    (env) => (env[urlKey] === undefined) !== (env[secretKey] === undefined),
    { message: `set exactly one of ${urlKey} and ${secretKey}`, path: [urlKey] },
  ];
}
