/** A totesys timestamp split into its calendar date and its time of day. */
export interface SplitTimestamp {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `HH:MM:SS.mmm`, milliseconds kept. */
  readonly time: string;
}

/**
 * Splits a naive totesys timestamp into its date and its time, with no zone conversion.
 *
 * `2022-11-03 14:20:52.186` becomes `2022-11-03` and `14:20:52.186`: the source has no zone and the
 * warehouse keeps none. The input is a validated `timestamp(3)` value, so the split is positional.
 */
export function splitTimestamp(timestamp: string): SplitTimestamp {
  return { date: timestamp.slice(0, 10), time: timestamp.slice(11) };
}
