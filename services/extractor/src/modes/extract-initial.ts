import { type EventTableName, type ExtractState, toCompactTimestamp } from '@totes/pipeline';
import type { ExtractContext } from '../extract-context';
import type { ObjectTally } from '../store/object-tally';
import type { WriteOutcome } from '../store/write-in-order';
import { writeRescan } from '../store/write-rescan';
import { extractPages } from './extract-pages';

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
  const outcome = await extractPages(
    context,
    async () => ({
      copy: source.queries.initial,
      settings: { after_id: String(afterId), before_ts: horizon },
    }),
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
    state = { ...state, watermark: { lastUpdated: horizon, id: 0 }, initial: null };
    await context.state.write(table, state);
  }
  return { outcome, state, horizon, afterIdBefore, afterId };
}
