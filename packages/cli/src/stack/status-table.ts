import { formatTable } from '../output';
import type { TableStatus } from './stack-status';

const count = (value: number | null) => (value === null ? '–' : value);

/**
 * When something happened (the newest change loaded into a table was made in the source, an
 * extractor saved its state): how long ago while that is recent, and its day once it is older
 * than two days (reference data can go unchanged for years, and "1485 d" reads like a fault).
 */
export function howLongAgo(seconds: number | null, now: Date = new Date()): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${Math.max(0, seconds).toFixed(1)} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(now.getTime() - seconds * 1000).toISOString().slice(0, 10);
}

/** The per-table summary as an aligned text table (`quar.`: rows held in quarantine). */
export function statusTable(status: readonly TableStatus[], now: Date = new Date()): string {
  return formatTable(
    ['table', 'source', 'source rows', 'warehouse rows', 'newest change', 'queued', 'DLQ', 'quar.'],
    status.map((line) => [
      line.table,
      line.source ?? '–',
      count(line.sourceRows),
      count(line.warehouseRows),
      howLongAgo(line.freshnessSeconds, now),
      line.queued,
      line.deadLetters,
      count(line.quarantined),
    ]),
  );
}
