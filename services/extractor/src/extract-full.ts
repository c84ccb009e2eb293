import { type EventTableName, ingestKey } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from './extract-context';
import { rescanMetadata } from './object-metadata';
import { ObjectTally } from './object-tally';
import { putOnce } from './put-once';
import { writeInOrder } from './write-in-order';

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
  const { config, source, store, budget } = context;
  const { run } = request;
  let state = await context.state.read(table);
  let afterId = Math.max(request.afterId ?? 0, state.full?.run === run ? state.full.afterId : 0);
  const startId = afterId;
  const tally = new ObjectTally();
  let outOfTime = false;
  for (;;) {
    let rows = 0;
    const outcome = await source.transaction('read committed', () =>
      writeInOrder(
        source.chunks(
          source.queries.afterId,
          { after_id: String(afterId), row_limit: String(config.queryRows) },
          config.chunkRows,
        ),
        async (chunk) => {
          const [firstId, lastId] = [chunk.first.id, chunk.last.id];
          const key = ingestKey({ kind: 'rescan', table, reason: 'full', run, firstId, lastId });
          const metadata = rescanMetadata(table, chunk.rows, 'full', firstId, lastId);
          tally.add(key, await putOnce(store, key, chunk.body, metadata), chunk.rows);
          state = { ...state, full: { run, afterId: lastId } };
          await context.state.write(table, state);
          afterId = lastId;
          rows += chunk.rows;
        },
        budget,
      ),
    );
    if (outcome === 'out-of-time' || (rows === config.queryRows && budget.spent())) {
      outOfTime = true;
      break;
    }
    if (rows < config.queryRows) break;
  }
  return {
    rows: tally.rows,
    written: tally.written,
    existing: tally.existing,
    ...(outOfTime ? { stop: { mode: 'full', run, afterId } } : {}),
    details: { run, afterIdBefore: startId, afterIdAfter: afterId },
  };
}
