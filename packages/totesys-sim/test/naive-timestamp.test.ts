import { describe, expect, it } from 'vitest';
import { addDays, formatNaiveDate, formatNaiveTimestamp, parseNaiveTimestamp } from '../src/naive-timestamp';

describe('naive timestamps', () => {
  it('formats milliseconds as totesys stores timestamp(3), always with three fraction digits', () => {
    const ms = Date.UTC(2022, 10, 3, 14, 20, 52, 186);
    expect(formatNaiveTimestamp(ms)).toBe('2022-11-03 14:20:52.186');
    expect(formatNaiveTimestamp(Date.UTC(2024, 1, 29, 8, 0, 0, 0))).toBe('2024-02-29 08:00:00.000');
    expect(formatNaiveDate(ms)).toBe('2022-11-03');
  });

  it('agrees with Date#toISOString on any moment', () => {
    for (let ms = -3e11; ms < 4e12; ms += 9_876_543_211) {
      const iso = new Date(ms).toISOString();
      expect(formatNaiveTimestamp(ms)).toBe(`${iso.slice(0, 10)} ${iso.slice(11, 23)}`);
    }
  });

  it('reads timestamps and dates back', () => {
    expect(formatNaiveTimestamp(parseNaiveTimestamp('2022-11-03 14:20:52.186'))).toBe(
      '2022-11-03 14:20:52.186',
    );
    expect(parseNaiveTimestamp('2022-11-03')).toBe(Date.UTC(2022, 10, 3));
    expect(() => parseNaiveTimestamp('yesterday')).toThrow(RangeError);
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
  });
});
