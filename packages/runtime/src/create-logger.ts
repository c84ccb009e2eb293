import { Logger } from '@aws-lambda-powertools/logger';

/** The structured logger of a function: one JSON object per line. */
export type PipelineLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

/** The lowest level the pipeline's functions log: `DEBUG` when `LOG_LEVEL` asks for it, else `INFO`. */
export function logLevelOf(env: NodeJS.ProcessEnv = process.env): 'DEBUG' | 'INFO' {
  return env.LOG_LEVEL?.toUpperCase() === 'DEBUG' ? 'DEBUG' : 'INFO';
}

/** Creates the JSON logger of one function (`service` names it, e.g. `extract-sales_order`). */
export function createLogger(service: string): PipelineLogger {
  return new Logger({ serviceName: service, logLevel: logLevelOf() });
}

/** Replaces a connection string's password, so URLs can be logged. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
