import type { TargetTableName } from '@totes/pipeline';
import type { TableStatus } from './stack-status';

/** How far one warehouse table has got towards holding every row of its source. */
export interface TableProgress {
  readonly table: TargetTableName;
  /** Source rows the table holds (its rows, at most the source's). */
  readonly done: number;
  /** Rows in the source table it is built from. */
  readonly expected: number;
  /** Rows a second over the last few samples; null until two samples differ in time. */
  readonly rowsPerSecond: number | null;
  /** Seconds left at that rate; null when unknown (no rate yet, or nothing moving). */
  readonly etaSeconds: number | null;
}

interface Sample {
  readonly at: number;
  readonly done: number;
}

/** How many seconds of samples the rate is measured over: long enough to smooth batches. */
const windowSeconds = 15;

/** Rows done of rows expected for one warehouse table, at one moment. */
export interface TableCount {
  readonly table: TargetTableName;
  readonly done: number;
  readonly expected: number;
}

/**
 * Follows counts of rows done over successive samples.
 *
 * Per table, the rate over the last {@link windowSeconds} seconds and the time left at that rate.
 * `now` is injectable so the arithmetic can be tested exactly.
 */
export function progressTracker() {
  const history = new Map<TargetTableName, Sample[]>();
  return {
    sample(counts: readonly TableCount[], now: number = Date.now()): TableProgress[] {
      return counts.map(({ table, expected, done }) => {
        const samples = [...(history.get(table) ?? []), { at: now, done }].filter(
          (sample) => now - sample.at <= windowSeconds * 1000,
        );
        history.set(table, samples);
        const first = samples[0];
        const seconds = first ? (now - first.at) / 1000 : 0;
        const rowsPerSecond = first && seconds > 0 ? Math.max(0, (done - first.done) / seconds) : null;
        const left = Math.max(0, expected - done);
        const etaSeconds = left === 0 ? 0 : rowsPerSecond ? left / rowsPerSecond : null;
        return { table, done, expected, rowsPerSecond, etaSeconds };
      });
    },
  };
}

/**
 * Follows the load from successive status samples.
 *
 * Per table, rows done of rows expected, the rate and the time left ({@link progressTracker}).
 * Tables with no source (dim_date) are left out.
 */
export function loadProgressTracker() {
  const tracker = progressTracker();
  return {
    sample(status: readonly TableStatus[], now: number = Date.now()): TableProgress[] {
      const counts: TableCount[] = [];
      for (const line of status) {
        if (line.sourceRows === null || line.source === null) continue;
        const expected = line.sourceRows;
        counts.push({ table: line.table, expected, done: Math.min(line.warehouseRows ?? 0, expected) });
      }
      return tracker.sample(counts, now);
    },
  };
}

/** Whether a load is under way: some table holds fewer rows than its source. */
export function loading(progress: readonly TableProgress[]): boolean {
  return progress.some((table) => table.done < table.expected);
}

/** A duration for people: `45 s`, `3 min 20 s`, `2 h 05 min`. */
export function formatDuration(seconds: number): string {
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, '0')} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')} min`;
}

/** The whole load (or other work, by `label`) in one line: rows done of expected, the rate, and the time left. */
export function progressLine(progress: readonly TableProgress[], label = 'loading'): string {
  const done = progress.reduce((sum, table) => sum + table.done, 0);
  const expected = progress.reduce((sum, table) => sum + table.expected, 0);
  const rates = progress.map((table) => table.rowsPerSecond);
  const rate = rates.every((value) => value === null)
    ? null
    : rates.reduce<number>((a, b) => a + (b ?? 0), 0);
  const percent = expected === 0 ? 100 : Math.floor((done / expected) * 100);
  const parts = [
    `${label}: ${done.toLocaleString('en-GB')} of ${expected.toLocaleString('en-GB')} rows (${percent}%)`,
  ];
  if (rate !== null) parts.push(`${Math.round(rate).toLocaleString('en-GB')} rows/s`);
  const etas = progress.filter((table) => table.done < table.expected).map((table) => table.etaSeconds);
  if (etas.length > 0 && etas.every((eta) => eta !== null)) {
    parts.push(`about ${formatDuration(Math.max(...(etas as number[])))} left`);
  }
  return parts.join(', ');
}
