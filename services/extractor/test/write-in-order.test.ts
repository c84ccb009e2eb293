import { describe, expect, it } from 'vitest';
import type { TimeBudget } from '../src/modes/time-budget';
import { writeInOrder } from '../src/store/write-in-order';

const unlimited: TimeBudget = { spent: () => false, elapsedMs: () => 0 };
const spent: TimeBudget = { spent: () => true, elapsedMs: () => 1 };

async function* numbers(count: number, log: string[]) {
  for (let n = 1; n <= count; n += 1) {
    log.push(`read ${n}`);
    yield n;
  }
}

/** A write that takes a few milliseconds and logs its start and end. */
const slowWrite = (log: string[]) => async (n: number) => {
  log.push(`start ${n}`);
  await new Promise((resolve) => setTimeout(resolve, 5));
  log.push(`end ${n}`);
};

describe('writeInOrder', () => {
  it('writes every chunk in order, one at a time, reading up to two chunks ahead of the one written', async () => {
    const log: string[] = [];
    const outcome = await writeInOrder(numbers(4, log), slowWrite(log), unlimited);

    expect(outcome).toBe('done');
    expect(log).toEqual([
      'read 1',
      'read 2',
      'start 1',
      'read 3',
      'end 1',
      'read 4',
      'start 2',
      'end 2',
      'start 3',
      'end 3',
      'start 4',
      'end 4',
    ]);
  });

  it('reads one chunk ahead when told to', async () => {
    const log: string[] = [];
    await writeInOrder(numbers(3, log), slowWrite(log), unlimited, 1);

    expect(log).toEqual([
      'read 1',
      'read 2',
      'start 1',
      'end 1',
      'read 3',
      'start 2',
      'end 2',
      'start 3',
      'end 3',
    ]);
  });

  it('writes one chunk and stops when the budget is spent, closing the source', async () => {
    const log: string[] = [];
    let closed = false;
    async function* source() {
      try {
        yield* numbers(5, log);
      } finally {
        closed = true;
      }
    }

    const outcome = await writeInOrder(source(), async (n) => void log.push(`write ${n}`), spent);

    expect(outcome).toBe('out-of-time');
    expect(log.filter((entry) => entry.startsWith('write'))).toEqual(['write 1']);
    expect(closed).toBe(true);
  });

  it('fails with the write that failed and writes nothing after it', async () => {
    const written: number[] = [];
    const attempt = writeInOrder(
      numbers(4, []),
      async (n) => {
        if (n === 2) throw new Error('state write failed');
        written.push(n);
      },
      unlimited,
    );

    await expect(attempt).rejects.toThrow('state write failed');
    expect(written).toEqual([1]);
  });
});
