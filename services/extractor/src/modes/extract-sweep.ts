import type { EventTableName } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { ObjectTally } from '../store/object-tally';
import { writeRescan } from '../store/write-rescan';
import { bucketRecordOf, readBatch, withBatchRead } from './bucket-record';
import { observationTime } from './observation-clock';
import { changedBuckets, nextBucketBatch } from './sweep-plan';

/**
 * A `sweep` of an event table, which finds rows edited without a `last_updated` change: it
 * hashes buckets of `sweepBucketRows` keys (only those whose row versions changed: see
 * bucket-record.ts), compares each with its hash at the previous sweep and
 * re-extracts the rows of the buckets that differ as one `rescan` object (reason `sweep`) per
 * batch of buckets. The first sweep compares with the hashes the first extraction took (see
 * extract-initial.ts); buckets without a hash are re-extracted. Each batch is hashed and read
 * in one snapshot, then its hashes are saved. A table whose first extraction is under way is left
 * to it (a backfill's continuations come after the sweep requested with it).
 */
export async function extractSweep(
  context: ExtractContext,
  table: EventTableName,
  request: { readonly run: string; readonly afterBucket?: number | undefined },
): Promise<ExtractOutcome> {
  const { config, source, budget } = context;
  const { run } = request;
  const bucketRows = config.sweepBucketRows;
  let state = await context.state.read(table);
  // While the first extraction is under way, what it has shipped has its hashes already, and what
  // it has not is still to come from it: a sweep now would only read that ahead of it.
  if (state.watermark === null && state.initial !== null) {
    return { rows: 0, written: [], existing: [], details: { run, deferred: 'first extraction under way' } };
  }
  // Hashes taken with another bucket size compare with nothing.
  const previous = state.sweep?.bucketRows === bucketRows ? state.sweep : null;
  let record = bucketRecordOf(state, bucketRows);
  let afterBucket = Math.max(request.afterBucket ?? -1, previous?.run === run ? previous.afterBucket : -1);
  const tally = new ObjectTally();
  let hashed = 0;
  let contentHashed = 0;
  let changed = 0;
  let outOfTime = false;
  const maxId = await source.maxId();
  for (;;) {
    const batch = nextBucketBatch(afterBucket, maxId, bucketRows, config.chunkRows);
    if (!batch) break;
    if (hashed > 0 && budget.spent()) {
      outOfTime = true;
      break;
    }
    const observedAt = observationTime(context.now);
    await source.transaction('repeatable read', async () => {
      const read = await readBatch(source, bucketRows, batch, record);
      const buckets = changedBuckets(record.hashes, read.hashes, batch);
      if (buckets.length > 0) {
        const settings = {
          after_id: String(batch.first * bucketRows),
          through_id: String((batch.last + 1) * bucketRows),
          bucket_rows: String(bucketRows),
          buckets: `{${buckets.join(',')}}`,
        };
        for await (const chunk of source.chunks(source.queries.buckets, settings, config.chunkRows)) {
          await writeRescan(context, tally, { table, reason: 'sweep', run }, chunk, observedAt);
        }
      }
      record = withBatchRead(record, batch, read);
      const sweep = {
        bucketRows,
        hashes: [...record.hashes],
        versions: [...record.versions],
        run,
        afterBucket: batch.last,
      };
      state = { ...state, sweep };
      await context.state.write(table, state);
      hashed += batch.last - batch.first + 1;
      contentHashed += read.contentHashed;
      changed += buckets.length;
    });
    afterBucket = batch.last;
  }
  return {
    rows: tally.rows,
    written: tally.written,
    existing: tally.existing,
    ...(outOfTime ? { stop: { mode: 'sweep', run, afterBucket } } : {}),
    details: {
      run,
      bucketRows,
      bucketsHashed: hashed,
      bucketsContentHashed: contentHashed,
      bucketsChanged: changed,
      afterBucket,
    },
  };
}
