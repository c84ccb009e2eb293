import { type EventTableName, formatWatermark, ingestKey } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from './extract-context';
import { extractPages } from './extract-pages';
import { changesMetadata } from './object-metadata';
import { ObjectTally } from './object-tally';
import { putOnce } from './put-once';

/**
 * Incremental extraction of an event table: the rows after the saved watermark, in watermark
 * order (`last_updated`, then key) and only below the commit horizon, as change objects of at
 * most `chunkRows` rows. The watermark is saved after each object, so a crash redoes one chunk,
 * which lands on the same key.
 */
export async function extractChanges(
  context: ExtractContext,
  table: EventTableName,
): Promise<ExtractOutcome> {
  const { config, source, store } = context;
  let state = await context.state.read(table);
  const before = state.watermark;
  const tally = new ObjectTally();
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
    async (chunk) => {
      const through = chunk.last;
      const key = ingestKey({ kind: 'changes', table, after: state.watermark, through });
      const metadata = changesMetadata(table, chunk.rows, state.watermark, through);
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
    },
  };
}
