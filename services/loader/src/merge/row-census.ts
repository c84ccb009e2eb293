import type { KeyRange } from '../plan/key-range';
import type { TableLayout } from '../statements/table-layout';

/** What a census learnt of the referenced keys of one dimension. */
export type ReferencedKeys =
  /** Every distinct key the rows reference. */
  | { readonly kind: 'keys'; readonly keys: readonly (number | string)[] }
  /** More distinct keys than the census keeps: ask the staged rows instead. */
  | { readonly kind: 'too-many' };

/** The census of an object's rows, taken while they stream to the warehouse. */
export interface CensusResult {
  readonly rows: number;
  /** By dimension. */
  readonly references: ReadonlyMap<string, ReferencedKeys>;
  /** Whether a natural key occurs twice; `undefined` when the census could not tell. */
  readonly repeatedNaturalKey: boolean | undefined;
  /** The smallest and largest natural key of the rows; absent when there were none. */
  readonly naturalKeys?: KeyRange;
}

/** Limits that keep a census's memory small whatever the object's size. */
export interface CensusLimits {
  /** Distinct keys kept per dimension before giving up on it. */
  readonly keysPerDimension: number;
  /** Pages (65,536 natural keys each, 8 KB) of the seen-keys bitmap before giving up on it. */
  readonly bitmapPages: number;
}

const defaultLimits: CensusLimits = { keysPerDimension: 20_000, bitmapPages: 512 };
const pageBits = 1 << 16;

/**
 * Watches the rows of a fact object as they are encoded, within bounded memory.
 *
 * It keeps the distinct keys each dimension is referenced by, whether any natural key occurs twice,
 * and the range of the natural keys. The loader then checks references with a few small queries
 * instead of scanning the copied rows, and appends without a DISTINCT pass (or straight into the
 * fact table) when every natural key is unique.
 */
export class RowCensus {
  readonly #references: { readonly dimension: string; readonly indexes: readonly number[] }[];
  readonly #keys = new Map<string, Set<number> | undefined>();
  readonly #naturalKey: number;
  readonly #limits: CensusLimits;
  #pages: Map<number, Uint8Array> | undefined = new Map();
  #repeated = false;
  #rows = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  constructor(layout: TableLayout, limits: CensusLimits = defaultLimits) {
    const index = (name: string) => layout.columns.findIndex((column) => column.name === name);
    this.#references = layout.references.map((reference) => ({
      dimension: reference.dimension,
      indexes: reference.columns.map(index),
    }));
    for (const reference of this.#references) this.#keys.set(reference.dimension, new Set());
    this.#naturalKey = index(layout.naturalKey);
    this.#limits = limits;
  }

  /** Notes rows `start` to `end` (exclusive) of decoded columns (integer and date keys). */
  observe(columns: readonly ArrayLike<unknown>[], start: number, end: number): void {
    this.#rows += end - start;
    for (const reference of this.#references) {
      let keys = this.#keys.get(reference.dimension);
      for (const index of reference.indexes) {
        const values = columns[index];
        if (!keys || !values) break;
        for (let row = start; row < end; row += 1) keys.add(Number(values[row]));
        if (keys.size > this.#limits.keysPerDimension) {
          keys = undefined;
          this.#keys.set(reference.dimension, undefined);
        }
      }
    }
    const naturalKeys = columns[this.#naturalKey];
    if (!naturalKeys) return;
    for (let row = start; row < end; row += 1) {
      const key = Number(naturalKeys[row]);
      if (key < this.#min) this.#min = key;
      if (key > this.#max) this.#max = key;
      this.#see(key);
    }
  }

  #see(key: number): void {
    const pages = this.#pages;
    if (!pages || this.#repeated) return;
    const number = Math.floor(key / pageBits);
    let page = pages.get(number);
    if (!page) {
      if (pages.size >= this.#limits.bitmapPages) {
        this.#pages = undefined;
        return;
      }
      page = new Uint8Array(pageBits / 8);
      pages.set(number, page);
    }
    const bit = key - number * pageBits;
    const mask = 1 << (bit & 7);
    const byte = page[bit >> 3] ?? 0;
    if (byte & mask) this.#repeated = true;
    else page[bit >> 3] = byte | mask;
  }

  /** What the census found. */
  result(): CensusResult {
    const references = new Map<string, ReferencedKeys>();
    for (const [dimension, keys] of this.#keys) {
      references.set(
        dimension,
        keys ? { kind: 'keys', keys: [...keys].sort((a, b) => a - b) } : { kind: 'too-many' },
      );
    }
    return {
      rows: this.#rows,
      references,
      repeatedNaturalKey: this.#repeated ? true : this.#pages ? false : undefined,
      ...(this.#min <= this.#max ? { naturalKeys: { min: this.#min, max: this.#max } } : {}),
    };
  }
}
