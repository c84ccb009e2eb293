import { describe, expect, it } from 'vitest';
import {
  bucketOf,
  bucketsWithin,
  changedBuckets,
  firstStaleBucket,
  nextBucketBatch,
  unchangedBuckets,
  withBatchHashes,
} from '../src/modes/sweep-plan';

describe('sweep buckets', () => {
  it('puts keys 1..size in bucket 0, the next size keys in bucket 1', () => {
    expect([1, 1000, 1001, 2000, 2001].map((id) => bucketOf(id, 1000))).toEqual([0, 0, 1, 1, 2]);
  });

  it('batches as many buckets as fit in a chunk, up to the bucket of the highest key', () => {
    expect(nextBucketBatch(-1, 12_345, 1000, 5000)).toEqual({ first: 0, last: 4 });
    expect(nextBucketBatch(4, 12_345, 1000, 5000)).toEqual({ first: 5, last: 9 });
    expect(nextBucketBatch(9, 12_345, 1000, 5000)).toEqual({ first: 10, last: 12 });
    expect(nextBucketBatch(12, 12_345, 1000, 5000)).toBeUndefined();
  });

  it('takes one bucket per batch when a bucket is larger than a chunk', () => {
    expect(nextBucketBatch(-1, 10_000, 1000, 10)).toEqual({ first: 0, last: 0 });
  });

  it('has nothing to sweep in an empty table', () => {
    expect(nextBucketBatch(-1, null, 1000, 5000)).toBeUndefined();
  });

  it('reports buckets whose hash changed or that are new, not those without rows', () => {
    const previous = ['a', 'b', 'c', null];
    const current = new Map([
      [0, 'a'],
      [1, 'B'],
      [3, 'd'],
      [4, 'e'],
    ]);

    expect(changedBuckets(previous, current, { first: 0, last: 4 })).toEqual([1, 3, 4]);
    expect(changedBuckets(previous, current, { first: 0, last: 2 })).toEqual([1]);
  });

  it('records the hashes of a batch and keeps the others', () => {
    const current = new Map([
      [1, 'B'],
      [3, 'd'],
    ]);

    expect(withBatchHashes(['a', 'b', 'c'], current, { first: 1, last: 3 })).toEqual(['a', 'B', null, 'd']);
  });

  it('takes as whole the buckets a range of keys covers, leaving out those split at its ends', () => {
    expect(bucketsWithin(0, 5000, null, 1000)).toEqual({ first: 0, last: 4 });
    expect(bucketsWithin(1500, 4700, null, 1000)).toEqual({ first: 2, last: 3 });
    expect(bucketsWithin(2000, 3000, null, 1000)).toEqual({ first: 2, last: 2 });
    expect(bucketsWithin(1500, 2700, null, 1000)).toBeUndefined();
  });

  it('takes up to the bucket of the highest key when a range runs to the end of the table', () => {
    expect(bucketsWithin(1500, null, 4700, 1000)).toEqual({ first: 2, last: 4 });
    expect(bucketsWithin(0, null, 1, 1000)).toEqual({ first: 0, last: 0 });
    expect(bucketsWithin(4700, null, 4700, 1000)).toBeUndefined();
    expect(bucketsWithin(0, null, null, 1000)).toBeUndefined();
  });

  it('keeps the hash of a bucket whose row versions are those recorded with it', () => {
    const previous = { hashes: ['a', 'b', 'c', null, 'e'], versions: ['1', '2', '3', '4', null] };
    const versions = new Map([
      [0, '1'],
      [1, '2*'],
      [3, '4'],
      [4, '5'],
    ]);

    // 1 was written since, 2 has no rows now, 3 and 4 lack a hash or a version to go by.
    expect(unchangedBuckets(previous, versions, { first: 0, last: 4 })).toEqual(new Map([[0, 'a']]));
  });

  it('finds the first bucket with rows that was written since its hash was taken, or never hashed', () => {
    const previous = { hashes: ['a', 'b', 'c'], versions: ['1', '2', '3'] };
    const same = new Map([
      [0, '1'],
      [1, '2'],
      [2, '3'],
    ]);

    expect(firstStaleBucket(previous, same, { first: 0, last: 2 })).toBeUndefined();
    expect(firstStaleBucket(previous, new Map([...same, [1, '2*']]), { first: 0, last: 2 })).toBe(1);
    expect(firstStaleBucket(previous, new Map([...same, [4, '5']]), { first: 0, last: 4 })).toBe(4);
    expect(firstStaleBucket(previous, new Map([[2, '3']]), { first: 0, last: 2 })).toBeUndefined();
  });
});
