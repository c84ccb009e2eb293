import { type EventTableName, formatWatermark, ingestKey } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { changesMetadata } from '../store/object-metadata';
import { ObjectTally } from '../store/object-tally';
import { putOnce } from '../store/put-once';
import { extractInitial, type InitialProgress } from './extract-initial';
import { extractPages } from './extract-pages';

/**
 * Incremental extraction of an event table.
 *
 * The rows after the saved watermark, in watermark order (`last_updated`, then key) and only below
 * the commit horizon, as change objects of at most `chunkRows` rows. The watermark is saved after
 * each object, so a crash redoes one chunk, which lands on the same key. A table without a
 * watermark is first extracted by key ({@link extractInitial}), which ends by setting it.
 */
export async function extractChanges(
  context: ExtractContext,
  table: EventTableName,
): Promise<ExtractOutcome> {
  const { config, source, store } = context;
  const tally = new ObjectTally();
  let state = await context.state.read(table);
  let initial: InitialProgress | undefined;
  if (state.watermark === null) {
    initial = await extractInitial(context, table, state, tally);
    if (initial.outcome === 'out-of-time') {
      return {
        rows: tally.rows,
        written: tally.written,
        existing: tally.existing,
        stop: { mode: 'incremental', watermark: null, initialAfterId: initial.afterId },
        details: { watermarkBefore: null, watermarkAfter: null, initial: initialDetails(initial) },
      };
    }
  }
  state = initial?.state ?? state;
  const before = initial ? null : state.watermark;
  let horizon: string | undefined;
  const outcome = await extractPages(
    context,
    async () => {
      const before_ts = await source.commitHorizon(config);
      horizon = before_ts;
      const after = state.watermark;
      if (after && after.lastUpdated >= before_ts) return undefined;
      return {
        copy: source.queries.changes,
        settings: {
          after_ts: after?.lastUpdated ?? '-infinity',
          after_id: String(after?.id ?? 0),
          before_ts,
        },
      };
    },
    async (chunk, observedAt) => {
      const through = chunk.last;
      const key = ingestKey(
        { kind: 'changes', table, after: state.watermark, through },
        config.ingestCompression,
      );
      const metadata = changesMetadata(table, chunk.rows, state.watermark, through, observedAt);
      tally.add(key, await putOnce(store, key, chunk.body, metadata), chunk.rows);
      state = { ...state, watermark: through };
      await context.state.write(table, state);
    },
  );
  return {
    rows: tally.rows,
    written: tally.written,
    existing: tally.existing,
    ...(outcome === 'out-of-time' ? { stop: { mode: 'incremental', watermark: state.watermark } } : {}),
    details: {
      watermarkBefore: before ? formatWatermark(before) : null,
      watermarkAfter: state.watermark ? formatWatermark(state.watermark) : null,
      commitHorizon: horizon,
      ...(initial ? { initial: initialDetails(initial) } : {}),
    },
  };
}

/** The log fields of a first extraction: its horizon and the keys it took. */
function initialDetails(initial: InitialProgress) {
  return { horizon: initial.horizon, afterIdBefore: initial.afterIdBefore, afterIdAfter: initial.afterId };
}
