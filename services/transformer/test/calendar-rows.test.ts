import { describe, expect, it } from 'vitest';
import { defaultCalendarRange } from '../src/mappings/calendar-range';
import { calendarRows } from '../src/mappings/calendar-rows';

describe('calendarRows', () => {
  it('describes a day: ISO day of week, English names, quarter', () => {
    expect(calendarRows('2022-11-03', '2022-11-03')).toEqual([
      {
        date_id: '2022-11-03',
        year: 2022,
        month: 11,
        day: 3,
        day_of_week: 4,
        day_name: 'Thursday',
        month_name: 'November',
        quarter: 4,
      },
    ]);
  });

  it('numbers the week from Monday = 1 to Sunday = 7', () => {
    expect(calendarRows('2024-01-01', '2024-01-07').map((row) => [row.day_name, row.day_of_week])).toEqual([
      ['Monday', 1],
      ['Tuesday', 2],
      ['Wednesday', 3],
      ['Thursday', 4],
      ['Friday', 5],
      ['Saturday', 6],
      ['Sunday', 7],
    ]);
  });

  it('gives each month its English name and its quarter', () => {
    const firsts = calendarRows('2023-01-01', '2023-12-31').filter((row) => row.day === 1);
    expect(firsts.map((row) => [row.month, row.month_name, row.quarter])).toEqual([
      [1, 'January', 1],
      [2, 'February', 1],
      [3, 'March', 1],
      [4, 'April', 2],
      [5, 'May', 2],
      [6, 'June', 2],
      [7, 'July', 3],
      [8, 'August', 3],
      [9, 'September', 3],
      [10, 'October', 4],
      [11, 'November', 4],
      [12, 'December', 4],
    ]);
  });

  it('includes leap days and crosses years', () => {
    expect(calendarRows('2024-02-28', '2024-03-01').map((row) => row.date_id)).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
    expect(calendarRows('2023-02-28', '2023-03-01').map((row) => row.date_id)).toEqual([
      '2023-02-28',
      '2023-03-01',
    ]);
    expect(
      calendarRows('2029-12-31', '2030-01-01').map((row) => [row.date_id, row.year, row.day_of_week]),
    ).toEqual([
      ['2029-12-31', 2029, 1],
      ['2030-01-01', 2030, 2],
    ]);
  });

  it('covers 2020-01-01 to 2030-12-31 by default, one row per day', () => {
    const rows = calendarRows(defaultCalendarRange.from, defaultCalendarRange.to);
    expect(rows).toHaveLength(4018);
    expect(rows[0]).toMatchObject({ date_id: '2020-01-01', day_name: 'Wednesday', day_of_week: 3 });
    expect(rows.at(-1)).toMatchObject({ date_id: '2030-12-31', day_name: 'Tuesday', day_of_week: 2 });
    expect(new Set(rows.map((row) => row.date_id)).size).toBe(4018);
  });

  it('refuses a range that ends before it starts, or a date that does not exist', () => {
    expect(() => calendarRows('2024-01-02', '2024-01-01')).toThrow(RangeError);
    expect(() => calendarRows('2023-02-29', '2023-03-01')).toThrow(/not a calendar date/);
  });
});
