import type { EventTableName } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { ObjectTally } from '../store/object-tally';
import { writeRescan } from '../store/write-rescan';
import { extractPages } from './extract-pages';

/**
 * A `full` re-extraction of an event table.
 *
 * Every row by key, as `rescan` objects of the run (reason `full`) of at most `chunkRows` rows.
 * Progress is saved after each object and carried by the continuation's `afterId`.
 */
export async function extractFull(
  context: ExtractContext,
  table: EventTableName,
  request: { readonly run: string; readonly afterId?: number | undefined },
): Promise<ExtractOutcome> {
  const { source } = context;
  const { run } = request;
  let state = await context.state.read(table);
  let afterId = Math.max(request.afterId ?? 0, state.full?.run === run ? state.full.afterId : 0);
  const startId = afterId;
  const tally = new ObjectTally();
  const outcome = await extractPages(
    context,
    async () => ({ copy: source.queries.afterId, settings: { after_id: String(afterId) } }),
    async (chunk, observedAt) => {
      const lastId = await writeRescan(context, tally, { table, reason: 'full', run }, chunk, observedAt);
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
