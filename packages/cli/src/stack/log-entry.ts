/** One line of the local log, as the log sink writes it. */
export interface LogEntry {
  readonly timestamp: string;
  readonly level: string;
  readonly service: string;
  readonly message?: string;
  readonly [field: string]: unknown;
}

/** What `totes logs` keeps: lines of one table, one stage, at or above one level. */
export interface LogFilter {
  readonly table?: string;
  readonly stage?: string;
  readonly level?: LogLevel;
}

/** The levels of the log, least severe first (metrics rank with info). */
export const logLevels = ['DEBUG', 'INFO', 'METRIC', 'WARN', 'ERROR'] as const;

/** A level of the log. */
export type LogLevel = (typeof logLevels)[number];

const severity: Readonly<Record<LogLevel, number>> = { DEBUG: 0, INFO: 1, METRIC: 1, WARN: 2, ERROR: 3 };

/** Reads a line of the log; anything else (a line cut short by a crash, a blank) is undefined. */
export function parseLogEntry(line: string): LogEntry | undefined {
  try {
    const entry = JSON.parse(line) as unknown;
    if (typeof entry !== 'object' || entry === null) return undefined;
    const { timestamp, level, service } = entry as Record<string, unknown>;
    if (typeof timestamp !== 'string' || typeof level !== 'string' || typeof service !== 'string')
      return undefined;
    return entry as LogEntry;
  } catch {
    return undefined;
  }
}

/**
 * Whether an entry passes a filter.
 *
 * A function's service is `<stage>-<table>` (`load-dim_staff`); an entry of another service (the
 * scheduler, the reconciler) is of a table when it names it.
 */
export function logEntryMatches(entry: LogEntry, filter: LogFilter): boolean {
  if (filter.level && (severity[entry.level as LogLevel] ?? severity.ERROR) < severity[filter.level])
    return false;
  if (filter.stage && !entry.service.startsWith(`${filter.stage}-`)) return false;
  if (filter.table) {
    const { table } = filter;
    const named = [entry.table, entry.target].includes(table);
    if (!named && !entry.service.endsWith(`-${table}`)) return false;
  }
  return true;
}
