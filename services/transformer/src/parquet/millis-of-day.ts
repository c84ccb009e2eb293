const zero = 48;

function digit(text: string, index: number): number {
  const value = text.charCodeAt(index) - zero;
  return value >= 0 && value <= 9 ? value : Number.NaN;
}

/**
 * A time of day as Parquet's TIME(MILLIS): milliseconds since midnight, kept exactly.
 *
 * The time is `HH:MM:SS.mmm`, the warehouse's form, milliseconds always present. Read from the
 * digits because it runs twice for every fact row. Throws `RangeError` for anything else.
 */
export function millisOfDay(time: string): number {
  const hours = digit(time, 0) * 10 + digit(time, 1);
  const minutes = digit(time, 3) * 10 + digit(time, 4);
  const seconds = digit(time, 6) * 10 + digit(time, 7);
  const millis = digit(time, 9) * 100 + digit(time, 10) * 10 + digit(time, 11);
  if (
    time.length !== 12 ||
    time[2] !== ':' ||
    time[5] !== ':' ||
    time[8] !== '.' ||
    !(hours <= 23 && minutes <= 59 && seconds <= 59 && millis >= 0)
  ) {
    throw new RangeError(`not a time of day of the form HH:MM:SS.mmm: "${time}"`);
  }
  return ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis;
}
