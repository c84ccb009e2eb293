import type { ExtractorSettings } from '@totes/pipeline';
import type { ObjectStore } from '@totes/runtime';
import type { TotesysSource } from './copy/totesys-source';
import type { StopPosition } from './modes/continuation';
import type { TimeBudget } from './modes/time-budget';
import type { StateStore } from './store/state-store';

/** What one extraction works with. */
export interface ExtractContext {
  readonly config: ExtractorSettings;
  readonly source: TotesysSource;
  readonly store: Pick<ObjectStore, 'head' | 'put' | 'list'>;
  readonly state: StateStore;
  readonly budget: TimeBudget;
  readonly now: () => Date;
}

/** What one extraction did, for its log line and metrics. */
export interface ExtractOutcome {
  /** Rows in the objects this run wrote or found already written. */
  readonly rows: number;
  /** Keys of the objects written. */
  readonly written: readonly string[];
  /** Keys of objects a crashed run had written already (not written again, announced again). */
  readonly existing: readonly string[];
  /** Where the run stopped when its time budget ran out; absent when it finished. */
  readonly stop?: StopPosition;
  /** Mode-specific figures (watermarks, hashes, buckets). */
  readonly details: Readonly<Record<string, unknown>>;
}
