import { z } from 'zod';

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
 * The refinement of a database's two ways in.
 *
 * Exactly one of a connection string (local runs) and a Secrets Manager secret (AWS) must be set.
 *
 * Neither value is ever put in the message.
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

/**
 * The variables a function's environment schema reads, as a deployment sets them: every value a string.
 *
 * Each is optional here because some are set after the function is made (a topic ARN) or by Lambda
 * itself (`AWS_REGION`); what a schema requires is checked when it parses.
 */
export type FunctionEnvironment<S extends z.ZodType> = {
  readonly [K in keyof z.input<S>]?: string | undefined;
};

/**
 * The environment of a function that parses it with `schema`, its variable names type-checked.
 *
 * A misspelt or unknown variable does not compile.
 */
export function functionEnvironment<S extends z.ZodType>(
  _schema: S,
  variables: FunctionEnvironment<S>,
): Readonly<Record<string, string>> {
  return Object.fromEntries(
    Object.entries(variables).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The name of one variable `schema` reads, checked by the type system (for a variable set later). */
export function environmentVariable<S extends z.ZodType>(
  _schema: S,
  name: keyof z.input<S> & string,
): string {
  return name;
}
