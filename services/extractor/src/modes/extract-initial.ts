import { type EventTableName, type ExtractState, toCompactTimestamp } from '@totes/pipeline';
import type { ExtractContext } from '../extract-context';
import type { ObjectTally } from '../store/object-tally';
import type { WriteOutcome } from '../store/write-in-order';
import { writeRescan } from '../store/write-rescan';
import { bucketRecordOf, readBatch, withBatchRead } from './bucket-record';
import { extractPages } from './extract-pages';
import { bucketsWithin } from './sweep-plan';

/** Where the first extraction of a table got to. */
export interface InitialProgress {
  readonly outcome: WriteOutcome;
  readonly state: ExtractState;
  readonly horizon: string;
  readonly afterIdBefore: number;
  readonly afterId: number;
}

/**
 * The first extraction of an event table.
 *
 * Every row whose `last_updated` is below a commit horizon, read by primary key, as `initial`
 * objects of at most `chunkRows` rows. Reading by key needs no sort, so the source streams rows
 * from its first page on, and a backfill costs it one pass over the key index however large the
 * table (decision 0002).
 *
 * Each page is read in one snapshot, in which the sweep's hashes of the buckets the page read
 * whole are then taken and saved: every row of those buckets was either written by this page or
 * is stamped at or after the horizon (incremental extraction takes it), so the first sweep
 * re-extracts only buckets that changed since, or that were split between two pages.
 *
 * The horizon is saved just before the first object is written (a run that fails before it
 * leaves nothing behind), so a run that crashes and starts again reads below the same horizon
 * and writes the same keys; progress is saved after each object. Once every row below the
 * horizon is out, the watermark becomes (horizon, 0), and incremental extraction takes every row
 * stamped at or after it, whenever it commits.
 */
export async function extractInitial(
  context: ExtractContext,
  table: EventTableName,
  stateBefore: ExtractState,
  tally: ObjectTally,
): Promise<InitialProgress> {
  const { config, source } = context;
  let state = stateBefore;
  const { horizon, afterId: afterIdBefore } = state.initial ?? {
    horizon: await source.commitHorizon(config),
    afterId: 0,
  };
  const run = toCompactTimestamp(horizon);
  let afterId = afterIdBefore;
  const bucketRows = config.sweepBucketRows;
  const outcome = await extractPages(
    context,
    async () => {
      const pageAfterId = afterId;
      return {
        copy: source.queries.initial,
        settings: { after_id: String(afterId), before_ts: horizon },
        isolation: 'repeatable read',
        // The sweep's hashes of the buckets this page read whole, in the page's snapshot: the
        // first sweep then re-extracts only what changed since (decision 0019).
        finish: async (_rows, last) => {
          const maxId = last ? await source.maxId() : null;
          const buckets = bucketsWithin(pageAfterId, last ? null : afterId, maxId, bucketRows);
          if (!buckets) return;
          const before = bucketRecordOf(state, bucketRows);
          const record = withBatchRead(before, buckets, await readBatch(source, bucketRows, buckets, before));
          const previous = state.sweep?.bucketRows === bucketRows ? state.sweep : null;
          const sweep = {
            bucketRows,
            hashes: [...record.hashes],
            versions: [...record.versions],
            writtenBefore: previous?.writtenBefore ?? null,
            // The first page's snapshot is the earliest: every version before its oldest running
            // transaction is in the hashes of every page, and becomes `writtenBefore` at the end.
            runWrittenBefore: previous?.runWrittenBefore ?? (await source.oldestRunningTransaction()),
            run: previous?.run ?? null,
            afterBucket: previous?.afterBucket ?? 0,
          };
          state = { ...state, sweep };
          await context.state.write(table, state);
        },
      };
    },
    async (chunk, observedAt) => {
      if (!state.initial) {
        state = { ...state, initial: { horizon, afterId } };
        await context.state.write(table, state);
      }
      afterId = await writeRescan(context, tally, { table, reason: 'initial', run }, chunk, observedAt);
      state = { ...state, initial: { horizon, afterId } };
      await context.state.write(table, state);
    },
  );
  if (outcome === 'done') {
    const sweep = state.sweep && {
      ...state.sweep,
      writtenBefore: state.sweep.runWrittenBefore,
      runWrittenBefore: null,
    };
    state = { ...state, watermark: { lastUpdated: horizon, id: 0 }, initial: null, sweep };
    await context.state.write(table, state);
  }
  return { outcome, state, horizon, afterIdBefore, afterId };
}
