import { describe, expect, it } from 'vitest';
import { retryDelaySeconds } from '../src/retry-delay';

const policy = { baseSeconds: 10, maxSeconds: 900, maxReceiveCount: 12 };

describe('the retry delay of a failed message', () => {
  it('doubles from the base on every receive while a fact waits for its dimensions', () => {
    const delays = [1, 2, 3, 4, 5].map((receive) => retryDelaySeconds('waiting', receive, policy));

    expect(delays).toEqual([10, 20, 40, 80, 160]);
  });

  it('never waits longer than the maximum', () => {
    expect(retryDelaySeconds('transient', 9, policy)).toBe(900);
    expect(retryDelaySeconds('transient', 11, { ...policy, maxSeconds: 1e9 })).toBe(10_240);
  });

  it('stays within the twelve hours SQS allows', () => {
    expect(
      retryDelaySeconds('transient', 40, { baseSeconds: 10, maxSeconds: 1e9, maxReceiveCount: 100 }),
    ).toBe(43_200);
  });

  it('retries bad input at once, so it reaches the DLQ without waiting', () => {
    expect(retryDelaySeconds('bad-input', 1, policy)).toBe(0);
  });

  it('does not wait after the last receive: the message moves to the DLQ', () => {
    expect(retryDelaySeconds('waiting', 12, policy)).toBe(0);
  });

  it('waits about 80 minutes in all before a waiting fact is dead-lettered, with the defaults', () => {
    let total = 0;
    for (let receive = 1; receive <= policy.maxReceiveCount; receive += 1) {
      total += retryDelaySeconds('waiting', receive, policy);
    }

    expect(total).toBe(10 + 20 + 40 + 80 + 160 + 320 + 640 + 900 * 4);
  });
});
