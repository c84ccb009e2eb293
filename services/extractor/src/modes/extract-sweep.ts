import type { EventTableName, ExtractState } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { ObjectTally } from '../store/object-tally';
import { writeRescan } from '../store/write-rescan';
import { type BucketRecord, bucketRecordOf, readBatch, withBatchRead } from './bucket-record';
import { observationTime } from './observation-clock';
import { bucketOf, changedBuckets, firstStaleBucket, nextBucketBatch, unchangedBuckets } from './sweep-plan';

/**
 * A `sweep` of an event table, which finds rows edited without a `last_updated` change.
 *
 * It hashes buckets of `sweepBucketRows` keys (only those whose row versions changed: see
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
  const { written, runWrittenBefore } = await writtenSinceRecord(context, previous, run, bucketRows, maxId);
  const candidates = written ? [...written].sort((a, b) => a - b) : undefined;
  for (;;) {
    // With the record's transaction known, only the buckets written since need reading: the
    // others are skipped up to the next one that was (see bucketsWrittenSince).
    if (candidates) {
      const next = candidates.find((bucket) => bucket > afterBucket);
      if (next === undefined) {
        hashed += Math.max(0, lastBucketOf(maxId, bucketRows) - afterBucket);
        afterBucket = Math.max(afterBucket, lastBucketOf(maxId, bucketRows));
        break;
      }
      hashed += next - 1 - afterBucket;
      afterBucket = next - 1;
    }
    // First the row versions of up to `queryRows` keys, in one query: the buckets up to the first
    // that was written since its hash was taken are done at once. At 50 buckets a transaction
    // and a state write each, payment's 1,570 buckets at scale factor 100 took seconds.
    const span = candidates ? undefined : nextBucketBatch(afterBucket, maxId, bucketRows, config.queryRows);
    if (!candidates && !span) break;
    if (hashed > 0 && budget.spent()) {
      outOfTime = true;
      break;
    }
    const skipped = !span
      ? 0
      : await source.transaction('repeatable read', async () => {
          const versions = await source.bucketVersions(bucketRows, span.first, span.last);
          const stale = firstStaleBucket(record, versions, span);
          const unchanged = { first: span.first, last: stale === undefined ? span.last : stale - 1 };
          if (unchanged.last < unchanged.first) return 0;
          const hashes = unchangedBuckets(record, versions, unchanged);
          record = withBatchRead(record, unchanged, { hashes, versions, contentHashed: 0 });
          return unchanged.last - unchanged.first + 1;
        });
    if (skipped > 0) {
      afterBucket += skipped;
      hashed += skipped;
      state = {
        ...state,
        sweep: sweepState(record, bucketRows, run, afterBucket, previous, runWrittenBefore),
      };
      await context.state.write(table, state);
      continue;
    }
    const batch = nextBucketBatch(afterBucket, maxId, bucketRows, config.chunkRows);
    if (!batch) break;
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
      state = {
        ...state,
        sweep: sweepState(record, bucketRows, run, batch.last, previous, runWrittenBefore),
      };
      await context.state.write(table, state);
      hashed += batch.last - batch.first + 1;
      contentHashed += read.contentHashed;
      changed += buckets.length;
    });
    afterBucket = batch.last;
  }
  if (!outOfTime) {
    // Every bucket has been read since `runWrittenBefore`: the record now holds every version
    // before it. A run asked for again once ended leaves the record as it was.
    state = {
      ...state,
      sweep: {
        ...sweepState(record, bucketRows, run, afterBucket, previous, null),
        writtenBefore: runWrittenBefore ?? previous?.writtenBefore ?? null,
      },
    };
    await context.state.write(table, state);
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
      bucketsWritten: written?.size ?? null,
      afterBucket,
    },
  };
}

/** The sweep's part of the state: the record, and how far the run has got. */
function sweepState(
  record: BucketRecord,
  bucketRows: number,
  run: string,
  afterBucket: number,
  previous: ExtractState['sweep'],
  runWrittenBefore: string | null,
): NonNullable<ExtractState['sweep']> {
  return {
    bucketRows,
    hashes: [...record.hashes],
    versions: [...record.versions],
    writtenBefore: previous?.writtenBefore ?? null,
    runWrittenBefore,
    run,
    afterBucket,
  };
}

/** The bucket of the highest key, or -1 for an empty table. */
const lastBucketOf = (maxId: number | null, bucketRows: number) =>
  maxId === null || maxId < 1 ? -1 : bucketOf(maxId, bucketRows);

/**
 * Which buckets a sweep must read, and the transaction its record will be complete before.
 *
 * The run's transaction is taken before it reads any bucket (and kept by its continuations), so
 * every version written before it is in the snapshots the run reads. The buckets are those
 * holding a version written since the record's own transaction, and those the record has no hash
 * for; undefined (read every bucket) when the record has no transaction or it is too far back.
 */
async function writtenSinceRecord(
  context: ExtractContext,
  previous: ExtractState['sweep'],
  run: string,
  bucketRows: number,
  maxId: number | null,
): Promise<{ readonly written: ReadonlySet<number> | undefined; readonly runWrittenBefore: string | null }> {
  const { source } = context;
  const since = previous?.writtenBefore ?? null;
  return source.transaction('repeatable read', async () => {
    // A run that goes on keeps its own (none when it has ended, or began before runs kept one).
    const runWrittenBefore =
      previous?.run === run ? previous.runWrittenBefore : await source.oldestRunningTransaction();
    if (since === null) return { written: undefined, runWrittenBefore };
    const buckets = await source.bucketsWrittenSince(bucketRows, since);
    if (!buckets) return { written: undefined, runWrittenBefore };
    const unhashed = (previous?.hashes ?? []).flatMap((hash, bucket) => (hash === null ? [bucket] : []));
    const beyond = Array.from(
      { length: Math.max(0, lastBucketOf(maxId, bucketRows) + 1 - (previous?.hashes.length ?? 0)) },
      (_, index) => (previous?.hashes.length ?? 0) + index,
    );
    return { written: new Set([...buckets, ...unhashed, ...beyond]), runWrittenBefore };
  });
}
