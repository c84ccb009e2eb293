import { describe, expect, it } from 'vitest';
import { howLongAgo, statusTable } from '../src/stack/status-table';

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
    );
    const [header, sales, date] = text.split('\n');
    expect(header).toMatch(
      /^table\s+source\s+source rows\s+warehouse rows\s+newest change\s+queued\s+DLQ\s+quar\.$/,
    );
    expect(sales).toMatch(/^fact_sales_order\s+sales_order\s+11,142\s+11,141\s+3\.0 s ago\s+0\s+1\s+2$/);
    expect(date).toMatch(/^dim_date\s+–\s+–\s+4,018\s+–\s+0\s+0\s+–$/);
    expect(header?.indexOf('newest change')).toBe(sales?.indexOf('3.0 s ago'));
  });
});
