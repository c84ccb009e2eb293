import { describe, expect, it } from 'vitest';
import { daysSinceEpoch } from '../src/parquet/days-since-epoch';
import { millisOfDay } from '../src/parquet/millis-of-day';
import { unscaledDecimal } from '../src/parquet/unscaled-decimal';

describe('unscaledDecimal', () => {
  it('builds the unscaled integer from the digits', () => {
    expect(unscaledDecimal('12.50', 2)).toBe(1250n);
    expect(unscaledDecimal('0.05', 2)).toBe(5n);
    expect(unscaledDecimal('-3.94', 2)).toBe(-394n);
    expect(unscaledDecimal('99999999.99', 2)).toBe(9999999999n);
  });

  it('is exact where floats are not: 2.55 stays 255, and 0.1 + 0.2 cents never appear', () => {
    expect(unscaledDecimal('2.55', 2)).toBe(255n);
    expect(unscaledDecimal('1.15', 2)).toBe(115n);
    expect(unscaledDecimal('552548.62', 2)).toBe(55254862n);
  });

  it('pads a shorter scale and accepts extra zero places', () => {
    expect(unscaledDecimal('12', 2)).toBe(1200n);
    expect(unscaledDecimal('12.5', 2)).toBe(1250n);
    expect(unscaledDecimal('12.500', 2)).toBe(1250n);
  });

  it('refuses a value that would lose precision, or is not a number', () => {
    expect(() => unscaledDecimal('12.505', 2)).toThrow(/more than 2 decimal places/);
    expect(() => unscaledDecimal('1e3', 2)).toThrow(/not a decimal number/);
    expect(() => unscaledDecimal('', 2)).toThrow(RangeError);
  });
});

describe('daysSinceEpoch', () => {
  it('counts whole days since 1970-01-01', () => {
    expect(daysSinceEpoch('1970-01-01')).toBe(0);
    expect(daysSinceEpoch('1970-01-02')).toBe(1);
    expect(daysSinceEpoch('1969-12-31')).toBe(-1);
    expect(daysSinceEpoch('2022-11-03')).toBe(19299);
    expect(daysSinceEpoch('2000-03-01')).toBe(11017);
  });

  it('agrees with the UTC calendar on every day from 2019 to 2031', () => {
    for (let day = 17897; day <= 22280; day += 1) {
      expect(daysSinceEpoch(new Date(day * 86_400_000).toISOString().slice(0, 10))).toBe(day);
    }
  });

  it('refuses a day that does not exist or a malformed date', () => {
    expect(() => daysSinceEpoch('2023-02-29')).toThrow(/not a calendar date/);
    expect(() => daysSinceEpoch('2023-13-01')).toThrow(RangeError);
    expect(() => daysSinceEpoch('2023-1-01')).toThrow(RangeError);
    expect(() => daysSinceEpoch('2023-01-01T00')).toThrow(RangeError);
  });
});

describe('millisOfDay', () => {
  it('counts milliseconds since midnight, keeping the milliseconds', () => {
    expect(millisOfDay('00:00:00.000')).toBe(0);
    expect(millisOfDay('14:20:52.186')).toBe(51_652_186);
    expect(millisOfDay('23:59:59.999')).toBe(86_399_999);
  });

  it('refuses anything but HH:MM:SS.mmm', () => {
    expect(() => millisOfDay('24:00:00.000')).toThrow(RangeError);
    expect(() => millisOfDay('14:20:52')).toThrow(RangeError);
    expect(() => millisOfDay('14:60:52.186')).toThrow(RangeError);
    expect(() => millisOfDay('14-20-52.186')).toThrow(RangeError);
  });
});
