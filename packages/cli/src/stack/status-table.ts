import { stripVTControlCharacters } from 'node:util';
import { paint } from '../colour';
import { formatTable } from '../output';
import type { TableStatus } from './stack-status';

const count = (value: number | null) => (value === null ? '–' : value);

/**
 * When something happened, as how long ago while that is recent, else as its day.
 *
 * The moment is when the newest change loaded into a table was made in the source, or when an
 * extractor saved its state. Past two days the day is shown: reference data can go unchanged for years, and
 * "1485 d" reads like a fault.
 */
export function howLongAgo(seconds: number | null, now: Date = new Date()): string {
  if (seconds === null) return '–';
  if (seconds < 120) return `${Math.max(0, seconds).toFixed(1)} s ago`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return new Date(now.getTime() - seconds * 1000).toISOString().slice(0, 10);
}

/** A column of the status table: its header, a shorter one, and its cell of each line. */
interface StatusColumn {
  readonly header: string;
  readonly short: string;
  readonly cell: (line: TableStatus, now: Date) => string | number;
}

// In the order they are dropped when even the short headers do not fit: the source table's
// name goes first (the warehouse table's name says it), then the counts people can find with
// `totes status --json`; the table's name, its queues, its DLQ and its quarantine always stay.
const columns = {
  table: { header: 'table', short: 'table', cell: (line) => line.table },
  source: { header: 'source', short: 'source', cell: (line) => line.source ?? '–' },
  sourceRows: { header: 'source rows', short: 'src rows', cell: (line) => count(line.sourceRows) },
  warehouseRows: { header: 'warehouse rows', short: 'wh rows', cell: (line) => count(line.warehouseRows) },
  freshness: {
    header: 'newest change',
    short: 'changed',
    cell: (line, now) => howLongAgo(line.freshnessSeconds, now),
  },
  queued: { header: 'queued', short: 'queued', cell: (line) => line.queued },
  deadLetters: { header: 'DLQ', short: 'DLQ', cell: (line) => line.deadLetters },
  quarantined: { header: 'quar.', short: 'quar.', cell: (line) => count(line.quarantined) },
} as const satisfies Record<string, StatusColumn>;

type ColumnName = keyof typeof columns;

const layout: readonly ColumnName[] = [
  'table',
  'source',
  'sourceRows',
  'warehouseRows',
  'freshness',
  'queued',
  'deadLetters',
  'quarantined',
];
const dropOrder: readonly ColumnName[] = ['source', 'sourceRows', 'freshness', 'warehouseRows', 'queued'];

const widest = (text: string) =>
  Math.max(...text.split('\n').map((line) => stripVTControlCharacters(line).length));

/** Columns whose non-zero count is trouble: shown in red where colour is on. */
const alarming: ReadonlySet<ColumnName> = new Set(['deadLetters', 'quarantined']);

/**
 * The per-table summary as an aligned text table, at most `width` characters wide.
 *
 * `quar.` counts rows held in quarantine. `width` is a terminal's `process.stdout.columns`, 80 by
 * default (as when the output is not a terminal); the table has the full headers when they fit,
 * else short ones, else it leaves out the columns that matter least. A line that wraps would break
 * the in-place redraw. A DLQ or quarantine count above zero is red when stdout takes colour (see
 * {@link paint}).
 */
export function statusTable(status: readonly TableStatus[], now: Date = new Date(), width = 80): string {
  const render = (names: readonly ColumnName[], short: boolean) =>
    formatTable(
      names.map((name) => (short ? columns[name].short : columns[name].header)),
      status.map((line) => names.map((name) => columns[name].cell(line, now))),
      (row, column, text) => {
        const name = names[column];
        const line = status[row];
        if (!name || !line || !alarming.has(name)) return text;
        const value = name === 'deadLetters' ? line.deadLetters : line.quarantined;
        return value ? paint('red', text) : text;
      },
    );
  const full = render(layout, false);
  if (widest(full) <= width) return full;
  let names = layout;
  let text = render(names, true);
  for (const dropped of dropOrder) {
    if (widest(text) <= width) break;
    names = names.filter((name) => name !== dropped);
    text = render(names, true);
  }
  return text;
}
