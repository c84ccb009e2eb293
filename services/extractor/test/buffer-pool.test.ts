import { describe, expect, it } from 'vitest';
import { BufferPool } from '../src/copy/buffer-pool';

describe('BufferPool', () => {
  it('hands a returned buffer out again for a request it can hold', () => {
    const pool = new BufferPool();
    const first = pool.take(1000);
    pool.give(first);

    expect(pool.take(900)).toBe(first);
  });

  it('allocates when no free buffer is large enough, and drops those too small', () => {
    const pool = new BufferPool();
    const small = pool.take(100);
    pool.give(small);

    const large = pool.take(200);
    pool.give(large);

    expect(large).not.toBe(small);
    expect(large.length).toBe(200);
    expect(pool.take(100)).toBe(large);
    expect(pool.take(100)).not.toBe(small);
  });

  it('keeps only a few buffers', () => {
    const pool = new BufferPool(1);
    const [a, b] = [pool.take(10), pool.take(10)];
    pool.give(a);
    pool.give(b);

    expect(pool.take(10)).toBe(a);
    expect(pool.take(10)).not.toBe(b);
  });
});
