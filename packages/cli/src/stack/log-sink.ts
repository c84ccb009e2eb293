import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PipelineLogger, PipelineMetrics } from '@totes/runtime';

/** Where the functions of a local stack write their JSON logs and metrics. */
export interface LogSink {
  readonly path: string;
  logger(service: string): PipelineLogger;
  metrics(service: string, table: string): PipelineMetrics;
  /** Called for every error line, so the terminal can show the latest. */
  onError(listener: (entry: Readonly<Record<string, unknown>>) => void): void;
  close(): Promise<void>;
}

/**
 * A JSON Lines file for the functions' logs and metrics (one object per line, the same fields
 * as in CloudWatch), so the terminal stays readable while `tail -f` shows everything.
 */
export function fileLogSink(path: string): LogSink {
  mkdirSync(dirname(path), { recursive: true });
  const stream = createWriteStream(path, { flags: 'a' });
  const listeners: ((entry: Readonly<Record<string, unknown>>) => void)[] = [];
  const write = (entry: Record<string, unknown>) => {
    stream.write(`${JSON.stringify(entry)}\n`);
    if (entry.level === 'ERROR') for (const listener of listeners) listener(entry);
  };
  const logAt =
    (level: string, service: string) =>
    (message: unknown, ...extra: unknown[]) => {
      const fields = Object.assign({}, ...extra.filter((item) => typeof item === 'object' && item !== null));
      write({ timestamp: new Date().toISOString(), level, service, message: String(message), ...fields });
    };
  return {
    path,
    logger(service) {
      // The sink takes the same calls as the Powertools logger: a message, then objects of fields.
      return {
        debug: () => {},
        info: logAt('INFO', service),
        warn: logAt('WARN', service),
        error: logAt('ERROR', service),
      } as unknown as PipelineLogger;
    },
    metrics(service, table) {
      const pending: Record<string, number> = {};
      return {
        count: (name, value) => {
          pending[name] = (pending[name] ?? 0) + value;
        },
        seconds: (name, value) => {
          pending[name] = value;
        },
        flush: () => {
          if (Object.keys(pending).length === 0) return;
          write({ timestamp: new Date().toISOString(), level: 'METRIC', service, table, ...pending });
          for (const name of Object.keys(pending)) delete pending[name];
        },
      };
    },
    onError(listener) {
      listeners.push(listener);
    },
    close: () => new Promise((resolve) => stream.end(resolve)),
  };
}
