import { observedAtOf } from '@totes/pipeline';

let latest = Number.NEGATIVE_INFINITY;

/**
 * The observation time of a read about to start (see `observedAtMetadataName`).
 *
 * `now()`, but always later than the previous observation in this process, so that two reads of one
 * row by the same extraction never tie, even within a millisecond. Extractions of a table run one
 * at a time (its FIFO message group), so across processes the order rests on synchronised clocks.
 */
export function observationTime(now: () => Date): string {
  latest = Math.max(now().getTime(), latest + 1);
  return observedAtOf(new Date(latest));
}
