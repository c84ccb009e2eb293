/** One step of a path that names an independent stream, e.g. `Random.of(seed, 'day', 17)`. */
export type RandomPathPart = string | number;

function mix(hash: number, value: number): number {
  let h = Math.imul(hash ^ value, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca77);
  h ^= h >>> 13;
  return h;
}

function hashPart(hash: number, part: RandomPathPart): number {
  if (typeof part === 'number') {
    // Whole numbers up to 2^53 survive the split into two 32-bit words.
    return mix(mix(hash, part >>> 0), Math.floor(part / 0x1_0000_0000) >>> 0);
  }
  let h = mix(hash, part.length);
  for (let i = 0; i < part.length; i++) h = mix(h, part.charCodeAt(i));
  return h;
}

/**
 * A small seedable pseudo-random generator (sfc32).
 *
 * Chris Doty-Humphrey's "small fast counting" generator: passes PractRand, 2^128 state, about 1 ns
 * a draw. Everything the simulator generates comes from one of these, so a seed reproduces its data
 * byte for byte on any machine.
 */
export class Random {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.#a = a;
    this.#b = b;
    this.#c = c;
    this.#d = d;
    for (let i = 0; i < 15; i++) this.next();
  }

  /**
   * The stream named by `seed` and `path`. Different paths give unrelated streams, so a part of the
   * data (one day, one table) can be regenerated on its own and still match a full run.
   */
  static of(seed: number, ...path: readonly RandomPathPart[]): Random {
    let h = hashPart(0x2545f491, seed);
    for (const part of path) h = hashPart(h, part);
    return new Random(mix(h, 1), mix(h, 2), mix(h, 3), mix(h, 4));
  }

  /** A float in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (((this.#c << 21) | (this.#c >>> 11)) + t) | 0;
    return (t >>> 0) / 0x1_0000_0000;
  }

  /** A whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick needs a non-empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** `k` distinct whole numbers from [0, n), as a set (Floyd's algorithm). */
  sample(n: number, k: number): ReadonlySet<number> {
    const chosen = new Set<number>();
    for (let j = n - Math.min(k, n); j < n; j++) {
      const t = this.int(0, j);
      chosen.add(chosen.has(t) ? j : t);
    }
    return chosen;
  }
}
