import { createServer } from 'node:net';
import type { LocalStackPorts } from '@totes/local';
import { CliError, UsageError } from './cli-error';

/**
 * The local stack's loopback ports when nothing else is asked for.
 *
 * The same on every start, so a saved connection (`totes url`, a SQL client) keeps working. Chosen
 * away from the ports other local tools default to (PostgreSQL 5432, LocalStack 4566, Supabase
 * 54321–54324).
 */
export const defaultLocalPorts = {
  postgres: 25432,
  aws: 24566,
  s3: 24567,
} as const satisfies LocalStackPorts;

/** The environment variable that sets each port. */
export const localPortVariables = {
  postgres: 'TOTES_POSTGRES_PORT',
  aws: 'TOTES_AWS_PORT',
  s3: 'TOTES_S3_PORT',
} as const satisfies Record<keyof LocalStackPorts, string>;

/** What each endpoint is, for messages. */
export const endpointNames = {
  postgres: 'PostgreSQL',
  aws: 'the AWS emulator',
  s3: 'the S3 notification proxy',
} as const satisfies Record<keyof LocalStackPorts, string>;

/** One port as configured: the number, and whether it was set (rather than the default). */
export interface ConfiguredPort {
  readonly port: number;
  readonly configured: boolean;
}

/**
 * The ports the environment asks for (`0`: any free port), else the defaults.
 *
 * A value that is not a port is a usage error.
 */
export function configuredLocalPorts(
  env: NodeJS.ProcessEnv = process.env,
): Record<keyof LocalStackPorts, ConfiguredPort> {
  const read = (name: keyof LocalStackPorts): ConfiguredPort => {
    const variable = localPortVariables[name];
    const value = env[variable]?.trim();
    if (!value) return { port: defaultLocalPorts[name], configured: false };
    const port = Number(value);
    if (!/^\d+$/.test(value) || port > 65_535) {
      throw new UsageError(`${variable} must be a port number from 1 to 65535, or 0 for any free port`);
    }
    return { port, configured: true };
  };
  return { postgres: read('postgres'), aws: read('aws'), s3: read('s3') };
}

/** Whether something already listens on a loopback port. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * The ports a local stack starts on.
 *
 * A port set in the environment must be free (else the command fails, naming the variable); a
 * default port that is taken (another stack, another program) gives way to any free port, with a
 * warning told to `say`. Only `endpoints` are checked; the others are 0 (any free port).
 */
export async function resolveLocalPorts(
  say: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
  endpoints: readonly (keyof LocalStackPorts)[] = ['postgres', 'aws', 's3'],
): Promise<LocalStackPorts> {
  const configured = configuredLocalPorts(env);
  const resolved: Record<string, number> = {};
  for (const name of endpoints) {
    const { port, configured: set } = configured[name];
    if (port === 0 || (await isPortFree(port))) {
      resolved[name] = port;
    } else if (set) {
      throw new CliError(
        `port ${port} (${localPortVariables[name]}) for ${endpointNames[name]} is in use: stop what listens there, or set ${localPortVariables[name]} to another port (0 for any free one)`,
      );
    } else {
      resolved[name] = 0;
      say(
        `port ${port}, the default for ${endpointNames[name]}, is in use: this run takes another one (set ${localPortVariables[name]} to choose; \`totes url\` prints it)`,
      );
    }
  }
  return { postgres: resolved.postgres ?? 0, aws: resolved.aws ?? 0, s3: resolved.s3 ?? 0 };
}
