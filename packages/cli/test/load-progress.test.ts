import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  formatDuration,
  loading,
  loadProgressTracker,
  progressLine,
  progressTracker,
} from '../src/stack/load-progress';
import { progressBars } from '../src/stack/progress-bars';
import { formatRunSummary, runSummary } from '../src/stack/run-summary';
import type { TableStatus } from '../src/stack/stack-status';

const status = (salesRows: number, paymentRows: number): TableStatus[] => [
  {
    table: 'fact_sales_order',
    source: 'sales_order',
    sourceRows: 10_000,
    warehouseRows: salesRows,
    freshnessSeconds: null,
    queued: 0,
    deadLetters: 0,
    quarantined: 0,
  },
  {
    table: 'fact_payment',
    source: 'payment',
    sourceRows: 4_000,
    warehouseRows: paymentRows,
    freshnessSeconds: null,
    queued: 0,
    deadLetters: 2,
    quarantined: 1,
  },
  {
    table: 'dim_date',
    source: null,
    sourceRows: null,
    warehouseRows: 4_018,
    freshnessSeconds: null,
    queued: 0,
    deadLetters: 0,
    quarantined: null,
  },
];

describe('the progress of a load', () => {
  it('gives rows done of expected per table, with the rate and the time left once it has two samples', () => {
    const tracker = loadProgressTracker();
    const first = tracker.sample(status(1_000, 0), 0);
    expect(first).toEqual([
      { table: 'fact_sales_order', done: 1_000, expected: 10_000, rowsPerSecond: null, etaSeconds: null },
      { table: 'fact_payment', done: 0, expected: 4_000, rowsPerSecond: null, etaSeconds: null },
    ]);
    const second = tracker.sample(status(3_000, 4_500), 2_000);
    expect(second).toEqual([
      { table: 'fact_sales_order', done: 3_000, expected: 10_000, rowsPerSecond: 1_000, etaSeconds: 7 },
      // Facts gain versions past their source's rows: done stops at expected.
      { table: 'fact_payment', done: 4_000, expected: 4_000, rowsPerSecond: 2_000, etaSeconds: 0 },
    ]);
    expect(loading(second)).toBe(true);
    expect(progressLine(second)).toBe('loading: 7,000 of 14,000 rows (50%), 3,000 rows/s, about 7 s left');
    expect(loading(tracker.sample(status(10_000, 4_000), 4_000))).toBe(false);
  });

  it('follows any work by rows, under its own label: nothing to do is done at once, with no rate yet', () => {
    const tracker = progressTracker();
    const first = tracker.sample(
      [
        { table: 'dim_design', done: 0, expected: 0 },
        { table: 'fact_payment', done: 100, expected: 1_000 },
      ],
      0,
    );
    expect(first).toEqual([
      { table: 'dim_design', done: 0, expected: 0, rowsPerSecond: null, etaSeconds: 0 },
      { table: 'fact_payment', done: 100, expected: 1_000, rowsPerSecond: null, etaSeconds: null },
    ]);
    expect(progressLine(first, 'reprocessing')).toBe('reprocessing: 100 of 1,000 rows (10%)');
    expect(progressLine(first.slice(0, 1), 'reprocessing')).toBe('reprocessing: 0 of 0 rows (100%)');
    const later = tracker.sample([{ table: 'fact_payment', done: 400, expected: 1_000 }], 3_000);
    expect(later[0]).toMatchObject({ rowsPerSecond: 100, etaSeconds: 6 });
  });

  it('measures the rate over the last fifteen seconds only', () => {
    const tracker = loadProgressTracker();
    tracker.sample(status(0, 0), 0);
    tracker.sample(status(9_000, 0), 10_000);
    const [sales] = tracker.sample(status(9_000, 0), 20_000);
    // The sample at 0 s is out of the window: from 10 s to 20 s nothing moved.
    expect(sales).toMatchObject({ rowsPerSecond: 0, etaSeconds: null });
  });

  it('says durations as people read them', () => {
    expect(formatDuration(44.6)).toBe('45 s');
    expect(formatDuration(200)).toBe('3 min 20 s');
    expect(formatDuration(7_500)).toBe('2 h 05 min');
  });

  it('draws one bar per table on a terminal, within 80 columns', () => {
    const stream = Object.assign(new PassThrough(), {
      isTTY: true,
      columns: 80,
    }) as unknown as NodeJS.WriteStream & PassThrough;
    let drawn = '';
    stream.on('data', (chunk) => {
      drawn += String(chunk);
    });
    const tracker = loadProgressTracker();
    const bars = progressBars(stream);
    tracker.sample(status(1_000, 0), 0);
    bars.update(tracker.sample(status(3_000, 1_000), 2_000));
    bars.stop();
    const lines = stripVTControlCharacters(drawn)
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '');
    expect(
      lines.some((line) => /^fact_sales_order .* 3,000\/10,000 +1,000\/s 7 s$/.test(line.trimEnd())),
    ).toBe(true);
    expect(lines.some((line) => line.startsWith('fact_payment'))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});

describe('the summary when `totes up` stops', () => {
  it('lists what each table gained and what failed, and the totals', () => {
    const summary = runSummary(status(1_000, 0), status(3_000, 4_500));
    expect(summary).toMatchObject({ loaded: 6_500, deadLetters: 2, quarantined: 1 });
    const text = stripVTControlCharacters(formatRunSummary(summary));
    expect(text).toContain('this run loaded 6,500 rows; 2 message(s) dead-lettered, 1 row(s) quarantined');
    expect(text).toMatch(/^fact_payment +4,500 +2 +1$/m);
    expect(text).not.toContain('dim_date');
    expect(text).toContain('`totes dlq` shows the dead letters; `totes quarantine` the rows held');
  });
});

describe('the summary of a run that failed nothing, or one kind of thing', () => {
  const table = (overrides: Partial<TableStatus>): TableStatus => ({
    table: 'fact_payment',
    source: 'payment',
    sourceRows: 10,
    warehouseRows: 10,
    freshnessSeconds: null,
    queued: 0,
    deadLetters: 0,
    quarantined: 0,
    ...overrides,
  });

  it('is one line when no table changed, and never counts rows lost as negative', () => {
    const summary = runSummary([table({ warehouseRows: 12 })], [table({ warehouseRows: 10 })]);
    expect(summary).toMatchObject({ loaded: 0, deadLetters: 0, quarantined: 0 });
    expect(formatRunSummary(summary)).toBe(
      'this run loaded 0 rows; 0 message(s) dead-lettered, 0 row(s) quarantined',
    );
  });

  it('counts a table that had no rows, or no count, from zero', () => {
    const summary = runSummary(
      [],
      [table({ warehouseRows: null, quarantined: null }), table({ table: 'dim_date', warehouseRows: 5 })],
    );
    expect(summary.tables.map((line) => [line.table, line.loaded, line.quarantined])).toEqual([
      ['fact_payment', 0, 0],
      ['dim_date', 5, 0],
    ]);
  });

  it('points to dlq alone, or to quarantine alone', () => {
    const dead = stripVTControlCharacters(formatRunSummary(runSummary([], [table({ deadLetters: 1 })])));
    expect(dead).toContain('`totes dlq` shows the dead letters');
    expect(dead).not.toContain('quarantine` the rows');
    const held = stripVTControlCharacters(formatRunSummary(runSummary([], [table({ quarantined: 2 })])));
    expect(held).toContain('`totes quarantine` the rows held');
    expect(held).not.toContain('totes dlq');
  });
});
