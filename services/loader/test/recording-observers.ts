import type { PipelineLogger, PipelineMetrics } from '@totes/runtime';

/** A log line as the handler wrote it. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly details: unknown[];
}

/** A logger and metrics that keep what they are given, for assertions. */
export function recordingObservers(): {
  readonly logger: PipelineLogger;
  readonly metrics: PipelineMetrics<'load'>;
  readonly lines: LogLine[];
  readonly values: { readonly name: string; readonly value: number }[];
} {
  const lines: LogLine[] = [];
  const values: { name: string; value: number }[] = [];
  const line =
    (level: LogLine['level']) =>
    (message: unknown, ...details: unknown[]) => {
      lines.push({ level, message: String(message), details });
    };
  return {
    logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') },
    metrics: {
      add: (name, value) => values.push({ name, value }),
      flush: () => undefined,
    },
    lines,
    values,
  };
}
