const zero = 48;

function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let index = start; index < end; index += 1) {
    const digit = text.charCodeAt(index) - zero;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * A `YYYY-MM-DD` calendar date as Parquet's DATE.
 *
 * Whole days since 1970-01-01 in the proleptic Gregorian calendar, with no zone to shift the day.
 * Computed from the digits (Hinnant's `days_from_civil`,
 * https://howardhinnant.github.io/date_algorithms.html), because it runs for every date of every
 * fact row. Throws `RangeError` for anything but a real date.
 */
export function daysSinceEpoch(date: string): number {
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 7);
  const day = digits(date, 8, 10);
  const monthDays = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  if (
    date.length !== 10 ||
    date[4] !== '-' ||
    date[7] !== '-' ||
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= (monthDays[month - 1] as number))
  ) {
    throw new RangeError(`not a calendar date of the form YYYY-MM-DD: "${date}"`);
  }
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}
