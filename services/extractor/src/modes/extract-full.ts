import { type EventTableName, ingestKey } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { rescanMetadata } from '../store/object-metadata';
import { ObjectTally } from '../store/object-tally';
import { putOnce } from '../store/put-once';
import { extractPages } from './extract-pages';

/**
 * A `full` re-extraction of an event table: every row by key, as `rescan` objects of the run
 * (reason `full`) of at most `chunkRows` rows. Progress is saved after each object and carried
 * by the continuation's `afterId`.
 */
export async function extractFull(
  context: ExtractContext,
  table: EventTableName,
  request: { readonly run: string; readonly afterId?: number | undefined },
): Promise<ExtractOutcome> {
  const { config, source, store } = context;
  const { run } = request;
  let state = await context.state.read(table);
  let afterId = Math.max(request.afterId ?? 0, state.full?.run === run ? state.full.afterId : 0);
  const startId = afterId;
  const tally = new ObjectTally();
  const outcome = await extractPages(
    context,
    async () => ({ copy: source.queries.afterId, settings: { after_id: String(afterId) } }),
    async (chunk, observedAt) => {
      const [firstId, lastId] = [chunk.first.id, chunk.last.id];
      const key = ingestKey(
        { kind: 'rescan', table, reason: 'full', run, firstId, lastId },
        config.ingestCompression,
      );
      const metadata = rescanMetadata(table, chunk.rows, 'full', firstId, lastId, observedAt);
      tally.add(key, await putOnce(store, key, chunk.body, metadata), chunk.rows);
      state = { ...state, full: { run, afterId: lastId } };
      await context.state.write(table, state);
      afterId = lastId;
    },
  );
  return {
    rows: tally.rows,
    written: tally.written,
    existing: tally.existing,
    ...(outcome === 'out-of-time' ? { stop: { mode: 'full', run, afterId } } : {}),
    details: { run, afterIdBefore: startId, afterIdAfter: afterId },
  };
}
