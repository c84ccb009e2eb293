import type { TargetTableName } from '@totes/pipeline';
import { paint } from '../colour';
import { formatTable } from '../output';
import type { TableStatus } from './stack-status';

/** What one run of `totes up` did to one warehouse table. */
export interface TableRunSummary {
  readonly table: TargetTableName;
  /** Rows the table gained while the run lasted. */
  readonly loaded: number;
  /** Messages in its DLQs, and source rows of it in quarantine, when the run stopped. */
  readonly deadLetters: number;
  readonly quarantined: number;
}

/** What a run did: per table, then in total. */
export interface RunSummary {
  readonly tables: readonly TableRunSummary[];
  readonly loaded: number;
  readonly deadLetters: number;
  readonly quarantined: number;
}

/** Compares the status when the run started with the status when it stopped. */
export function runSummary(before: readonly TableStatus[], after: readonly TableStatus[]): RunSummary {
  const start = new Map(before.map((line) => [line.table, line.warehouseRows ?? 0]));
  const tables = after.map((line) => ({
    table: line.table,
    loaded: Math.max(0, (line.warehouseRows ?? 0) - (start.get(line.table) ?? 0)),
    deadLetters: line.deadLetters,
    quarantined: line.quarantined ?? 0,
  }));
  const sum = (key: 'loaded' | 'deadLetters' | 'quarantined') =>
    tables.reduce((total, table) => total + table[key], 0);
  return { tables, loaded: sum('loaded'), deadLetters: sum('deadLetters'), quarantined: sum('quarantined') };
}

/** The summary for people: the tables that changed or hold failures, and one line in total. */
export function formatRunSummary(summary: RunSummary): string {
  const rows = summary.tables.filter((table) => table.loaded + table.deadLetters + table.quarantined > 0);
  const total = `this run loaded ${summary.loaded.toLocaleString('en-GB')} rows; ${summary.deadLetters.toLocaleString('en-GB')} message(s) dead-lettered, ${summary.quarantined.toLocaleString('en-GB')} row(s) quarantined`;
  const failures =
    summary.deadLetters > 0 || summary.quarantined > 0
      ? paint(
          'red',
          `\n${summary.deadLetters > 0 ? '`totes dlq` shows the dead letters' : ''}${summary.deadLetters > 0 && summary.quarantined > 0 ? '; ' : ''}${summary.quarantined > 0 ? '`totes quarantine` the rows held' : ''}`,
        )
      : '';
  if (rows.length === 0) return `${total}${failures}`;
  const table = formatTable(
    ['table', 'rows loaded', 'DLQ', 'quar.'],
    rows.map((row) => [row.table, row.loaded, row.deadLetters, row.quarantined]),
  );
  return `${table}\n${total}${failures}`;
}
