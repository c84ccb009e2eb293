const sourcePattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3})$/;
const compactPattern = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})$/;

/**
 * Turns a totesys timestamp into the form used inside S3 keys.
 *
 * `2022-11-03 14:20:52.186` (no zone) becomes `20221103T142052186`: no spaces or colons, and it
 * sorts like the time it names.
 */
export function toCompactTimestamp(timestamp: string): string {
  const parts = sourcePattern.exec(timestamp);
  if (!parts) throw new RangeError(`not a timestamp of the form YYYY-MM-DD HH:MM:SS.mmm: "${timestamp}"`);
  const [, year, month, day, hour, minute, second, millis] = parts;
  return `${year}${month}${day}T${hour}${minute}${second}${millis}`;
}

/** The inverse of {@link toCompactTimestamp}. */
export function fromCompactTimestamp(compact: string): string {
  const parts = compactPattern.exec(compact);
  if (!parts) throw new RangeError(`not a compact timestamp of the form YYYYMMDDTHHMMSSmmm: "${compact}"`);
  const [, year, month, day, hour, minute, second, millis] = parts;
  return `${year}-${month}-${day} ${hour}:${minute}:${second}.${millis}`;
}

/** Whether a string is a compact timestamp. */
export function isCompactTimestamp(value: string): boolean {
  return compactPattern.test(value);
}

/** A `Date` as a compact timestamp in UTC (for run ids and snapshot times). */
export function compactTimestampOf(date: Date): string {
  return toCompactTimestamp(date.toISOString().replace('T', ' ').replace('Z', ''));
}
