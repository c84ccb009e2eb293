import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type MetricStage, serviceName } from '@totes/pipeline';
import { metricUnitOf, type PipelineLogger, type StageCountedMetrics } from '@totes/runtime';

/** Where the functions of a local stack write their JSON logs and metrics. */
export interface LogSink extends LogWriter {
  readonly path: string;
  /** Writes an entry a function process built (see {@link logWriter}). */
  append(entry: Readonly<Record<string, unknown>>): void;
  /** Called for every error line, so the terminal can show the latest. */
  onError(listener: (entry: Readonly<Record<string, unknown>>) => void): void;
  close(): Promise<void>;
}

/** Makes the loggers and metrics of the functions, the same fields as in CloudWatch. */
export interface LogWriter {
  logger(service: string): PipelineLogger;
  metrics<S extends MetricStage>(stage: S, table?: string): StageCountedMetrics<S>;
}

/**
 * The loggers and metrics that write each entry (one JSON object) with `write`.
 *
 * To the log file in the stack's process, or to it through the pool from a function's process.
 */
export function logWriter(
  write: (entry: Record<string, unknown>) => void,
  level: 'DEBUG' | 'INFO' = 'INFO',
): LogWriter {
  const logAt =
    (at: string, service: string) =>
    (message: unknown, ...extra: unknown[]) => {
      const fields = Object.assign({}, ...extra.filter((item) => typeof item === 'object' && item !== null));
      write({ timestamp: new Date().toISOString(), level: at, service, message: String(message), ...fields });
    };
  return {
    logger(service) {
      // The sink takes the same calls as the Powertools logger: a message, then objects of fields.
      return {
        debug: level === 'DEBUG' ? logAt('DEBUG', service) : () => {},
        info: logAt('INFO', service),
        warn: logAt('WARN', service),
        error: logAt('ERROR', service),
      } as unknown as PipelineLogger;
    },
    metrics(stage, table) {
      const service = serviceName(stage, table);
      const pending: Record<string, number> = {};
      const perStage = new Map<string, Record<string, number>>();
      return {
        // A count adds up until the flush; a duration is the latest.
        add: (name, value) => {
          pending[name] = metricUnitOf(stage, name) === 'Count' ? (pending[name] ?? 0) + value : value;
        },
        addForStage: (name, pipelineStage, value) => {
          const counts = perStage.get(pipelineStage) ?? {};
          counts[name] = (counts[name] ?? 0) + value;
          perStage.set(pipelineStage, counts);
        },
        flush: () => {
          const at = new Date().toISOString();
          if (Object.keys(pending).length > 0) {
            write({ timestamp: at, level: 'METRIC', service, table, ...pending });
            for (const name of Object.keys(pending)) delete pending[name];
          }
          // As in CloudWatch: a line of its own per stage, and none for a zero.
          for (const [pipelineStage, counts] of perStage) {
            const counted = Object.fromEntries(Object.entries(counts).filter(([, value]) => value !== 0));
            if (Object.keys(counted).length > 0) {
              write({ timestamp: at, level: 'METRIC', service, table, stage: pipelineStage, ...counted });
            }
          }
          perStage.clear();
        },
      };
    },
  };
}

/** Options of {@link fileLogSink}. */
export interface LogSinkOptions {
  /** The lowest level written (default `INFO`: debug lines, routine work that found nothing to do, are dropped). */
  readonly level?: 'DEBUG' | 'INFO';
  /** The size past which the file is rotated (default 10 MB). */
  readonly maxBytes?: number;
  /** How many rotated files are kept beside it (default 3): `pipeline.log.1` is the newest. */
  readonly keep?: number;
}

/** Where the local stack of a data directory writes its log. */
export function pipelineLogPath(dataDir: string): string {
  return join(dataDir, 'logs', 'pipeline.log');
}

/** The rotation of the local log: at 10 MB, keeping 3 older files (40 MB at most). */
export const logRotation = { maxBytes: 10 * 1024 * 1024, keep: 3 } as const;

/**
 * The files of a rotated log that exist, oldest first.
 *
 * `pipeline.log.3` … `pipeline.log.1`, then `pipeline.log` itself.
 */
export function logFilesOf(path: string, keep: number = logRotation.keep): readonly string[] {
  const rotated = Array.from({ length: keep }, (_, index) => `${path}.${keep - index}`);
  return [...rotated, path].filter((file) => existsSync(file));
}

const sizeOf = (path: string) => (existsSync(path) ? statSync(path).size : 0);

/**
 * A JSON Lines file for the functions' logs and metrics, one object per line.
 *
 * The fields are those of CloudWatch, and the terminal stays readable while `tail -f` or
 * `totes logs` shows everything. Past `maxBytes` the file is renamed to `.1` (older ones shift up,
 * the oldest is overwritten) and a new one is started.
 *
 * The rotation is written here rather than taken from `rotating-file-stream`: this sink is the
 * file's only writer, in one process, writing each line synchronously, so a rename between two
 * lines is all it takes: every line is in its file before the file is renamed.
 */
export function fileLogSink(path: string, options: LogSinkOptions = {}): LogSink {
  const { level = 'INFO', maxBytes = logRotation.maxBytes, keep = logRotation.keep } = options;
  mkdirSync(dirname(path), { recursive: true });
  // Each line is written at once, before the next can rotate the file: a line still buffered
  // for a file already renamed could reach it after a follower (`totes logs --follow`) has read
  // that file to its end and moved on, and be lost to it.
  let fd = openSync(path, 'a');
  let bytes = sizeOf(path);
  const rotate = () => {
    closeSync(fd);
    for (let index = keep - 1; index >= 1; index -= 1) {
      if (existsSync(`${path}.${index}`)) renameSync(`${path}.${index}`, `${path}.${index + 1}`);
    }
    renameSync(path, keep > 0 ? `${path}.1` : `${path}.old`);
    fd = openSync(path, 'a');
    bytes = 0;
  };
  const listeners: ((entry: Readonly<Record<string, unknown>>) => void)[] = [];
  const write = (entry: Record<string, unknown>) => {
    const line = `${JSON.stringify(entry)}\n`;
    const size = Buffer.byteLength(line);
    if (bytes > 0 && bytes + size > maxBytes) rotate();
    writeSync(fd, line);
    bytes += size;
    if (entry.level === 'ERROR') for (const listener of listeners) listener(entry);
  };
  return {
    path,
    ...logWriter(write, level),
    append: (entry) => write({ ...entry }),
    onError(listener) {
      listeners.push(listener);
    },
    close: async () => {
      closeSync(fd);
    },
  };
}
