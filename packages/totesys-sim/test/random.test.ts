import { describe, expect, it } from 'vitest';
import { Random } from '../src/random';

const draw = (random: Random, n: number) => Array.from({ length: n }, () => random.next());

describe('Random', () => {
  it('repeats a stream for the same seed and path', () => {
    expect(draw(Random.of(42, 'day', 7), 100)).toEqual(draw(Random.of(42, 'day', 7), 100));
  });

  it('gives unrelated streams for other seeds or paths', () => {
    const base = draw(Random.of(42, 'day', 7), 10);
    expect(draw(Random.of(43, 'day', 7), 10)).not.toEqual(base);
    expect(draw(Random.of(42, 'day', 8), 10)).not.toEqual(base);
    expect(draw(Random.of(42, 'days', 7), 10)).not.toEqual(base);
  });

  it('draws whole numbers across the whole closed range, evenly', () => {
    const random = Random.of(1);
    const counts = new Map<number, number>();
    for (let i = 0; i < 60_000; i++) {
      const n = random.int(1, 6);
      counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const count of counts.values()) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it('samples k distinct indices', () => {
    const chosen = Random.of(9).sample(30, 12);
    expect(chosen.size).toBe(12);
    expect([...chosen].every((i) => Number.isInteger(i) && i >= 0 && i < 30)).toBe(true);
  });
});
