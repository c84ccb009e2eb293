import { describe, expect, it } from 'vitest';
import type { LoadOutcome } from '../src/load-object';
import { dimensionWaitMaxRows, waitingForDimensions } from '../src/load-work';
import { MissingDimensionError } from '../src/missing-dimension-error';
import { WarehouseError } from '../src/warehouse-error';

const loaded: LoadOutcome = {
  table: 'fact_payment',
  key: 'fact_payment/k.parquet',
  outcome: 'loaded',
  inserted: 3,
  updated: 0,
  skipped: 0,
  daysAdded: 0,
};

/** A load that fails with each error in turn, then loads. */
function loadFailing(...errors: Error[]) {
  let attempts = 0;
  const load = async () => {
    attempts += 1;
    const error = errors.shift();
    if (error) throw error;
    return loaded;
  };
  return { load, attempts: () => attempts };
}

const missing = (rows?: number) =>
  new MissingDimensionError('fact_payment', 'fact_payment/k.parquet', { dim_transaction: ['7'] }, rows);

describe('a fact object waiting for its dimensions in the invocation', () => {
  it('loads once its dimension rows are in, after the waits it took', async () => {
    const waits: number[] = [];
    const { load, attempts } = loadFailing(missing(3), missing(3));

    const result = await waitingForDimensions(load, async (ms) => void waits.push(ms));

    expect(result).toEqual({ outcome: loaded, waitedMs: 450 });
    expect(waits).toEqual([150, 300]);
    expect(attempts()).toBe(3);
  });

  it('gives up after its last wait with the error, for the message backoff to take over', async () => {
    const { load, attempts } = loadFailing(missing(3), missing(3), missing(3), missing(3));

    await expect(waitingForDimensions(load, async () => undefined)).rejects.toThrow(MissingDimensionError);
    expect(attempts()).toBe(4);
  });

  it('does not wait for a large object, nor one whose size is unknown, nor any other failure', async () => {
    for (const error of [
      missing(dimensionWaitMaxRows + 1),
      missing(),
      new WarehouseError('fact_payment', 'fact_payment/k.parquet', new Error('connection refused')),
    ]) {
      const waits: number[] = [];
      const { load, attempts } = loadFailing(error);
      await expect(waitingForDimensions(load, async (ms) => void waits.push(ms))).rejects.toBe(error);
      expect(waits).toEqual([]);
      expect(attempts()).toBe(1);
    }
  });
});
