import type { ExtractState } from '@totes/pipeline';
import type { TotesysSource } from '../copy/totesys-source';
import { type BucketBatch, type BucketHashes, unchangedBuckets, withBatchHashes } from './sweep-plan';

/** What the sweep knows of each bucket of a table: its content hash and its row versions. */
export interface BucketRecord {
  readonly hashes: BucketHashes;
  readonly versions: BucketHashes;
}

/** The buckets of a batch as they are now, read in one snapshot. */
export interface BatchRead {
  readonly hashes: ReadonlyMap<number, string>;
  readonly versions: ReadonlyMap<number, string>;
  /** How many buckets had their content hashed: the others held the same row versions. */
  readonly contentHashed: number;
}

/** The record kept in a table's state, when it was taken with buckets of `bucketRows` keys. */
export function bucketRecordOf(state: ExtractState, bucketRows: number): BucketRecord {
  const sweep = state.sweep?.bucketRows === bucketRows ? state.sweep : null;
  return { hashes: sweep?.hashes ?? [], versions: sweep?.versions ?? [] };
}

/**
 * Reads the hashes of a batch's buckets in the caller's transaction.
 *
 * First which row versions
 * each holds, which is cheap, then the content hash of only those whose versions changed since
 * `record` (the others keep the hash recorded with their versions).
 */
export async function readBatch(
  source: Pick<TotesysSource, 'bucketHashes' | 'bucketVersions'>,
  bucketRows: number,
  batch: BucketBatch,
  record: BucketRecord,
): Promise<BatchRead> {
  const versions = await source.bucketVersions(bucketRows, batch.first, batch.last);
  const unchanged = unchangedBuckets(record, versions, batch);
  const stale = [...versions.keys()].filter((bucket) => !unchanged.has(bucket));
  const hashed =
    stale.length > 0 ? await source.bucketHashes(bucketRows, batch.first, batch.last, stale) : new Map();
  return { hashes: new Map([...unchanged, ...hashed]), versions, contentHashed: stale.length };
}

/** The record after a batch: its buckets take what was read now, the others keep theirs. */
export function withBatchRead(record: BucketRecord, batch: BucketBatch, read: BatchRead): BucketRecord {
  return {
    hashes: withBatchHashes(record.hashes, read.hashes, batch),
    versions: withBatchHashes(record.versions, read.versions, batch),
  };
}
