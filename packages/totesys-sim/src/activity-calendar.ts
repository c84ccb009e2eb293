import { dayMs, hourMs, parseNaiveTimestamp } from './naive-timestamp';
import { totesysProfile } from './totesys-profile';

/** One weekday's opening hours on the zoneless clock: new rows get a time in [startMs, endMs). */
export interface ActivityWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The weekdays of the simulated period with their opening hours.
 *
 * From 08:00 until just before 19:00; the first day starts at the first order rather than at
 * opening time.
 */
export function activityCalendar(): readonly ActivityWindow[] {
  const { firstOrderAt, lastDay, openHour, closeHour } = totesysProfile;
  const firstMs = parseNaiveTimestamp(firstOrderAt);
  const lastMs = parseNaiveTimestamp(lastDay);
  const windows: ActivityWindow[] = [];
  for (let day = firstMs - (firstMs % dayMs); day <= lastMs; day += dayMs) {
    const weekday = new Date(day).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    windows.push({ startMs: Math.max(day + openHour * hourMs, firstMs), endMs: day + closeHour * hourMs });
  }
  return windows;
}
