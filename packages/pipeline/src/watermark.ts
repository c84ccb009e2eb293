import { z } from 'zod';
import { fromCompactTimestamp, toCompactTimestamp } from './compact-timestamp';

/**
 * A position in an event table.
 *
 * Rows are ordered by `last_updated`, then primary key, and the watermark names the last row taken.
 * Comparing positions this way (a keyset) pages through rows that share a `last_updated` without
 * skipping or repeating any.
 */
export const Watermark = z.object({
  lastUpdated: z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/),
  id: z.number().int().nonnegative(),
});
export type Watermark = z.infer<typeof Watermark>;

const idDigits = 10;

/** The watermark's form inside an S3 key: `20221103T142052186-0000000123`. */
export function formatWatermark(watermark: Watermark): string {
  return `${toCompactTimestamp(watermark.lastUpdated)}-${String(watermark.id).padStart(idDigits, '0')}`;
}

/** The inverse of {@link formatWatermark}; throws `RangeError` on anything else. */
export function parseWatermark(text: string): Watermark {
  const match = /^(\d{8}T\d{9})-(\d{10})$/.exec(text);
  if (!match?.[1] || !match[2]) throw new RangeError(`not a watermark: "${text}"`);
  return { lastUpdated: fromCompactTimestamp(match[1]), id: Number(match[2]) };
}

/** Orders two watermarks: negative when `a` comes first. */
export function compareWatermarks(a: Watermark, b: Watermark): number {
  if (a.lastUpdated !== b.lastUpdated) return a.lastUpdated < b.lastUpdated ? -1 : 1;
  return a.id - b.id;
}
