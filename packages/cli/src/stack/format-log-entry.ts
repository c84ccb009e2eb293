import type { LogEntry } from './log-entry';

const shown = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const { name, message } = value as { name?: unknown; message?: unknown };
    return `${typeof name === 'string' ? `${name}: ` : ''}${String(message)}`;
  }
  return JSON.stringify(value);
};

/**
 * One log entry as one line for people, at most `width` characters.
 *
 * Its time (local), level, service and message, then its other fields as `name=value`, the error
 * first (the detail people look for); whatever does not fit is cut, and `--json` has it whole.
 */
export function formatLogEntry(entry: LogEntry, width = 80): string {
  const { timestamp, level, service, message, error, ...fields } = entry;
  const time = Number.isNaN(Date.parse(timestamp))
    ? timestamp
    : new Date(timestamp).toLocaleTimeString('en-GB', { hour12: false });
  const details = Object.entries({ ...(error === undefined ? {} : { error }), ...fields })
    .filter(([name, value]) => value !== null && !(name === 'table' && service.endsWith(`-${String(value)}`)))
    .map(([name, value]) => `${name}=${shown(value)}`);
  const line = [time, level.padEnd(5), service, message ?? '', ...details].join(' ').replaceAll('\n', ' ');
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}
