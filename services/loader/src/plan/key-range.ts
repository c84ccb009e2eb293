/** The smallest and largest of a set of integer keys, both included. */
export interface KeyRange {
  readonly min: number;
  readonly max: number;
}

/** Whether every key of `inner` lies in `outer`. */
export function withinRange(inner: KeyRange, outer: KeyRange): boolean {
  return inner.min >= outer.min && inner.max <= outer.max;
}
