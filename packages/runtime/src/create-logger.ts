import { Logger } from '@aws-lambda-powertools/logger';

/** The structured logger of a function: one JSON object per line. */
export type PipelineLogger = Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;

/** Creates the JSON logger of one function (`service` names it, e.g. `extract-sales_order`). */
export function createLogger(service: string): PipelineLogger {
  return new Logger({ serviceName: service, logLevel: process.env.LOG_LEVEL === 'DEBUG' ? 'DEBUG' : 'INFO' });
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
