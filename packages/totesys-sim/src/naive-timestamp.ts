/** Milliseconds in a day; naive times are handled as milliseconds since 1970 on a zoneless clock. */
export const dayMs = 86_400_000;

/** Milliseconds in an hour. */
export const hourMs = 3_600_000;

const pad2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
// Formatting is most of the cost of generating rows (Date#toISOString for every value was 40% of
// it), and a simulation touches only a few thousand distinct days, so day strings are cached.
const dayCache = new Map<number, string>();
const dayCacheLimit = 100_000;

function dayString(day: number): string {
  let text = dayCache.get(day);
  if (text === undefined) {
    text = new Date(day * dayMs).toISOString().slice(0, 10);
    if (dayCache.size < dayCacheLimit) dayCache.set(day, text);
  }
  return text;
}

/**
 * Formats milliseconds on the zoneless clock as totesys stores `timestamp(3)`.
 *
 * `2022-11-03 14:20:52.186`, always three fraction digits.
 */
export function formatNaiveTimestamp(ms: number): string {
  const day = Math.floor(ms / dayMs);
  let rest = ms - day * dayMs;
  const hours = Math.floor(rest / hourMs);
  rest -= hours * hourMs;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = Math.floor(rest - seconds * 1000);
  return `${dayString(day)} ${pad2[hours]}:${pad2[minutes]}:${pad2[seconds]}.${pad3[millis]}`;
}

/** Formats the day of `ms` as totesys stores its text dates: `2022-11-03`. */
export function formatNaiveDate(ms: number): string {
  return dayString(Math.floor(ms / dayMs));
}

/** Reads `2022-11-03 14:20:52.186` or `2022-11-03` back into milliseconds on the zoneless clock. */
export function parseNaiveTimestamp(text: string): number {
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}Z`);
  if (Number.isNaN(ms)) throw new RangeError(`not a naive timestamp: ${JSON.stringify(text)}`);
  return ms;
}

/** The wall time of `date` in UTC, formatted as a naive `timestamp(3)`. */
export function naiveTimestampOf(date: Date): string {
  return formatNaiveTimestamp(date.getTime());
}

/** The date `days` days after a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return formatNaiveDate(parseNaiveTimestamp(date) + days * dayMs);
}
