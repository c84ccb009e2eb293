import { type SourceTableName, warehouseTableNames, warehouseTables } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { screenRedraw } from '../src/stack/screen-redraw';
import type { TableStatus } from '../src/stack/stack-status';
import { howLongAgo, statusTable } from '../src/stack/status-table';

/** Every warehouse table, with counts as large as a scale factor 5 totesys gives. */
const everyTable: readonly TableStatus[] = warehouseTableNames.map((table, index) => {
  const source = (warehouseTables[table].inputs as readonly SourceTableName[])[0] ?? null;
  return {
    table,
    source,
    sourceRows: source ? 1_234_567 : null,
    warehouseRows: 1_234_568,
    freshnessSeconds: index * 40_000,
    queued: 12_345,
    deadLetters: 1_234,
    quarantined: 123,
  };
});

describe('the status table', () => {
  const now = new Date('2024-11-04T09:15:00Z');

  it('says how long ago the newest loaded change was made, and its day once it is old', () => {
    expect(howLongAgo(3.04, now)).toBe('3.0 s ago');
    expect(howLongAgo(600, now)).toBe('10 min ago');
    expect(howLongAgo(5 * 3600, now)).toBe('5 h ago');
    expect(howLongAgo(1485 * 86_400, now)).toBe('2020-10-11');
    expect(howLongAgo(null, now)).toBe('–');
  });

  it('lines up one row per table under its header, with the rows each table holds in quarantine', () => {
    const text = statusTable(
      [
        {
          table: 'fact_sales_order',
          source: 'sales_order',
          sourceRows: 11_142,
          warehouseRows: 11_141,
          freshnessSeconds: 3,
          queued: 0,
          deadLetters: 1,
          quarantined: 2,
        },
        {
          table: 'dim_date',
          source: null,
          sourceRows: null,
          warehouseRows: 4018,
          freshnessSeconds: null,
          queued: 0,
          deadLetters: 0,
          quarantined: null,
        },
      ],
      now,
      120,
    );
    const [header, sales, date] = text.split('\n');
    expect(header).toMatch(
      /^table\s+source\s+source rows\s+warehouse rows\s+newest change\s+queued\s+DLQ\s+quar\.$/,
    );
    expect(sales).toMatch(/^fact_sales_order\s+sales_order\s+11,142\s+11,141\s+3\.0 s ago\s+0\s+1\s+2$/);
    expect(date).toMatch(/^dim_date\s+–\s+–\s+4,018\s+–\s+0\s+0\s+–$/);
    expect(header?.indexOf('newest change')).toBe(sales?.indexOf('3.0 s ago'));
  });

  it("fits an 80-column terminal, keeping every table's full name, its queues, DLQ and quarantine", () => {
    const text = statusTable(everyTable, now, 80);
    const [header, ...lines] = text.split('\n');
    for (const line of [header, ...lines]) expect(line?.length).toBeLessThanOrEqual(80);
    expect(header).toMatch(/\bqueued\s+DLQ\s+quar\.$/);
    expect(lines).toHaveLength(warehouseTableNames.length);
    for (const [index, table] of warehouseTableNames.entries()) {
      expect(lines[index]).toMatch(new RegExp(`^${table}\\s.*\\s12,345\\s+1,234\\s+123$`));
    }
  });

  it('drops the columns that matter least first when the terminal is narrower still', () => {
    const text = statusTable(everyTable, now, 50);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(50);
    expect(text.split('\n')[0]).toMatch(/^table\s+queued\s+DLQ\s+quar\.$/);
  });

  it('redraws in place over exactly the rows it wrote, cutting lines that would wrap', () => {
    const written: string[] = [];
    const redraw = screenRedraw({ write: (text) => written.push(text), columns: 10 });
    redraw('header\nrow one is long\nat 12:00');
    redraw('header\nrow\nat 12:02');
    expect(written[0]).toBe('header\nrow one i…\nat 12:00\n');
    expect(written[1]).toBe('\x1b[3A\r\x1b[0Jheader\nrow\nat 12:02\n');
  });
});
