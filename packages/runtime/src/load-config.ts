import { ConfigError } from '@totes/pipeline';
import type { z } from 'zod';

/**
 * Parses environment variables into a typed configuration at cold start.
 *
 * It fails with one message that lists every variable that is missing or wrong, so a person can fix
 * them at once.
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
