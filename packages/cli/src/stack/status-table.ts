import { formatTable } from '../output';
import type { TableStatus } from './stack-status';

const count = (value: number | null) => (value === null ? '–' : value);

function age(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** The per-table summary as an aligned text table. */
export function statusTable(status: readonly TableStatus[]): string {
  return formatTable(
    ['table', 'source', 'source rows', 'warehouse rows', 'freshness', 'queued', 'DLQ'],
    status.map((line) => [
      line.table,
      line.source ?? '–',
      count(line.sourceRows),
      count(line.warehouseRows),
      age(line.freshnessSeconds),
      line.queued,
      line.deadLetters,
    ]),
  );
}
