import cliProgress from 'cli-progress';
import { formatDuration, type TableProgress } from './load-progress';

/** Bars drawn in place on a terminal, one per warehouse table, until {@link ProgressBars.stop}. */
export interface ProgressBars {
  update(progress: readonly TableProgress[]): void;
  stop(): void;
}

/**
 * Per-table progress bars on `stream` (stderr) with cli-progress.
 *
 * Rows done of rows expected, the rate and the time left, in at most 80 columns. Nothing is drawn
 * when the stream is not a terminal (cli-progress's own rule); callers print {@link progressLine}
 * now and then instead.
 */
export function progressBars(stream: NodeJS.WriteStream = process.stderr): ProgressBars {
  const bars = new cliProgress.MultiBar(
    {
      stream,
      format: '{table} {bar} {counts} {rate} {left}',
      barsize: 14,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
      // The screen is redrawn whole; lines longer than the terminal would wrap and break it.
      linewrap: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const byTable = new Map<string, cliProgress.SingleBar>();
  return {
    update(progress) {
      for (const table of progress) {
        const payload = {
          table: table.table.padEnd(19),
          counts: `${table.done.toLocaleString('en-GB')}/${table.expected.toLocaleString('en-GB')}`.padStart(
            15,
          ),
          rate:
            table.rowsPerSecond === null
              ? ''.padStart(11)
              : `${Math.round(table.rowsPerSecond).toLocaleString('en-GB')}/s`.padStart(11),
          left:
            table.done >= table.expected
              ? 'done'
              : table.etaSeconds === null
                ? ''
                : formatDuration(table.etaSeconds),
        };
        const bar = byTable.get(table.table);
        if (bar) {
          bar.setTotal(Math.max(1, table.expected));
          bar.update(table.done, payload);
        } else {
          byTable.set(table.table, bars.create(Math.max(1, table.expected), table.done, payload));
        }
      }
    },
    stop() {
      bars.stop();
    },
  };
}
