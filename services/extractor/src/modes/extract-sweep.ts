import type { EventTableName } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { ObjectTally } from '../store/object-tally';
import { writeRescan } from '../store/write-rescan';
import { observationTime } from './observation-clock';
import { type BucketHashes, changedBuckets, nextBucketBatch, withBatchHashes } from './sweep-plan';

/**
 * A `sweep` of an event table, which finds rows edited without a `last_updated` change: it
 * hashes buckets of `sweepBucketRows` keys, compares each with its hash at the previous sweep and
 * re-extracts the rows of the buckets that differ as one `rescan` object (reason `sweep`) per
 * batch of buckets. The first sweep compares with the hashes the first extraction took (see
 * extract-initial.ts); buckets without a hash are re-extracted. Each batch is hashed and read
 * in one snapshot, then its hashes are saved.
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
  // Hashes taken with another bucket size compare with nothing.
  const previous = state.sweep?.bucketRows === bucketRows ? state.sweep : null;
  let hashes: BucketHashes = previous?.hashes ?? [];
  let afterBucket = Math.max(request.afterBucket ?? -1, previous?.run === run ? previous.afterBucket : -1);
  const tally = new ObjectTally();
  let hashed = 0;
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
      const current = await source.bucketHashes(bucketRows, batch.first, batch.last);
      const buckets = changedBuckets(hashes, current, batch);
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
      hashes = withBatchHashes(hashes, current, batch);
      state = { ...state, sweep: { bucketRows, hashes: [...hashes], run, afterBucket: batch.last } };
      await context.state.write(table, state);
      hashed += batch.last - batch.first + 1;
      changed += buckets.length;
    });
    afterBucket = batch.last;
  }
  return {
    rows: tally.rows,
    written: tally.written,
    existing: tally.existing,
    ...(outOfTime ? { stop: { mode: 'sweep', run, afterBucket } } : {}),
    details: { run, bucketRows, bucketsHashed: hashed, bucketsChanged: changed, afterBucket },
  };
}
