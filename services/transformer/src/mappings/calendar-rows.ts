import type { OutputRow } from '../output-row';

const dayMs = 86_400_000;
const weekday = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' });
const month = new Intl.DateTimeFormat('en', { month: 'long', timeZone: 'UTC' });
const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDay(date: string): number {
  const parts = isoDate.exec(date);
  const time = parts ? Date.UTC(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3])) : Number.NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date) {
    throw new RangeError(`not a calendar date of the form YYYY-MM-DD: "${date}"`);
  }
  return time / dayMs;
}

/**
 * The dim_date rows for every day from `from` to `to` (`YYYY-MM-DD`, both inclusive), in order.
 *
 * ISO `day_of_week` (Monday = 1 … Sunday = 7), English day and month names from `Intl`, and the
 * quarter 1–4. Dates are computed in UTC, so no zone or daylight saving shifts a day.
 */
export function calendarRows(from: string, to: string): OutputRow<'dim_date'>[] {
  const first = utcDay(from);
  const last = utcDay(to);
  if (last < first) throw new RangeError(`the calendar range ends (${to}) before it starts (${from})`);
  const rows: OutputRow<'dim_date'>[] = [];
  for (let day = first; day <= last; day += 1) {
    const date = new Date(day * dayMs);
    const monthNumber = date.getUTCMonth() + 1;
    rows.push({
      date_id: date.toISOString().slice(0, 10),
      year: date.getUTCFullYear(),
      month: monthNumber,
      day: date.getUTCDate(),
      day_of_week: date.getUTCDay() === 0 ? 7 : date.getUTCDay(),
      day_name: weekday.format(date),
      month_name: month.format(date),
      quarter: Math.ceil(monthNumber / 3),
    });
  }
  return rows;
}
