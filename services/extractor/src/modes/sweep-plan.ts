/**
 * The content hash of each sweep bucket, indexed by bucket number.
 *
 * Bucket `b` holds the keys `b × size + 1` to `(b + 1) × size`; null where a bucket had no rows or
 * was never hashed.
 */
export type BucketHashes = readonly (string | null)[];

/** A batch of consecutive buckets hashed in one query. */
export interface BucketBatch {
  readonly first: number;
  readonly last: number;
}

/** The bucket that holds a key. */
export function bucketOf(id: number, bucketRows: number): number {
  return Math.floor((id - 1) / bucketRows);
}

/**
 * The next batch of buckets to hash after `afterBucket` (-1 to start), up to the bucket of the highest key.
 *
 * Undefined when the sweep has passed it. A batch spans at most `chunkRows` keys, so re-extracting
 * all of it is at most one chunk.
 */
export function nextBucketBatch(
  afterBucket: number,
  maxId: number | null,
  bucketRows: number,
  chunkRows: number,
): BucketBatch | undefined {
  if (maxId === null || maxId < 1) return undefined;
  const first = afterBucket + 1;
  const lastBucket = bucketOf(maxId, bucketRows);
  if (first > lastBucket) return undefined;
  const perBatch = Math.max(1, Math.floor(chunkRows / bucketRows));
  return { first, last: Math.min(first + perBatch - 1, lastBucket) };
}

/**
 * The hashes of the buckets of a batch whose rows have not been written since they were hashed.
 *
 * Those buckets still hold the row versions they held when their hash was taken (same key, same writing transaction for every row), so the same content: those
 * need not be hashed again. A bucket without a previous hash or version is not among them.
 */
export function unchangedBuckets(
  previous: { readonly hashes: BucketHashes; readonly versions: BucketHashes },
  versions: ReadonlyMap<number, string>,
  batch: BucketBatch,
): ReadonlyMap<number, string> {
  const unchanged = new Map<number, string>();
  for (let bucket = batch.first; bucket <= batch.last; bucket += 1) {
    const [hash, version] = [previous.hashes[bucket] ?? null, previous.versions[bucket] ?? null];
    if (hash !== null && version !== null && versions.get(bucket) === version) unchanged.set(bucket, hash);
  }
  return unchanged;
}

/**
 * The first bucket of a batch that has rows and is not among its {@link unchangedBuckets}.
 *
 * One written since its hash was taken, or never hashed. Undefined when there is none.
 */
export function firstStaleBucket(
  previous: { readonly hashes: BucketHashes; readonly versions: BucketHashes },
  versions: ReadonlyMap<number, string>,
  batch: BucketBatch,
): number | undefined {
  const unchanged = unchangedBuckets(previous, versions, batch);
  for (let bucket = batch.first; bucket <= batch.last; bucket += 1)
    if (versions.has(bucket) && !unchanged.has(bucket)) return bucket;
  return undefined;
}

/**
 * The buckets of a batch whose rows differ from the previous sweep.
 *
 * A different hash, or rows where there were none. A bucket without rows now has nothing to re-extract.
 */
export function changedBuckets(
  previous: BucketHashes,
  current: ReadonlyMap<number, string>,
  batch: BucketBatch,
): readonly number[] {
  const changed: number[] = [];
  for (let bucket = batch.first; bucket <= batch.last; bucket += 1) {
    const hash = current.get(bucket);
    if (hash !== undefined && hash !== (previous[bucket] ?? null)) changed.push(bucket);
  }
  return changed;
}

/** The hashes after a batch: the batch's buckets take their current hash (null without rows). */
export function withBatchHashes(
  previous: BucketHashes,
  current: ReadonlyMap<number, string>,
  batch: BucketBatch,
): BucketHashes {
  const next: (string | null)[] = Array.from(
    { length: Math.max(previous.length, batch.last + 1) },
    (_, bucket) => previous[bucket] ?? null,
  );
  for (let bucket = batch.first; bucket <= batch.last; bucket += 1)
    next[bucket] = current.get(bucket) ?? null;
  return next;
}

/**
 * The buckets every key of which lies in a range of keys read whole.
 *
 * The range is above `afterId` and up to
 * `throughId`, or up to the end of the table (the bucket of `maxId`) when `throughId` is null.
 * A bucket split with the range's neighbours is left out; undefined when no bucket is whole.
 */
export function bucketsWithin(
  afterId: number,
  throughId: number | null,
  maxId: number | null,
  bucketRows: number,
): BucketBatch | undefined {
  const first = Math.ceil(afterId / bucketRows);
  const last =
    throughId !== null
      ? Math.floor(throughId / bucketRows) - 1
      : maxId !== null && maxId > 0
        ? bucketOf(maxId, bucketRows)
        : -1;
  return last >= first ? { first, last } : undefined;
}
