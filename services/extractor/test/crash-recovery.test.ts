import type { ObjectStore } from '@totes/runtime';
import { insertSalesOrder } from '@totes/totesys-sim';
import { describe, expect, it } from 'vitest';
import { objectStateStore } from '../src/store/object-state-store';
import type { StateStore } from '../src/store/state-store';
import {
  extractedSalesOrderIds,
  keysOf,
  pause,
  recordingLogger,
  rowsOf,
  salesOrderIds,
  sourceRows,
  type Totesys,
  useExtractorTestbed,
} from './extractor-testbed';

/** A state store that fails its `failAt`-th write, as a crash between object and state would. */
function crashingOnWrite(state: StateStore, failAt: number): StateStore {
  let writes = 0;
  return {
    read: (table) => state.read(table),
    async write(table, next) {
      writes += 1;
      if (writes === failAt) throw new Error('the function was stopped before it saved its state');
      await state.write(table, next);
    },
  };
}

describe('a crash between writing an object and saving the watermark', () => {
  const testbed = useExtractorTestbed();

  /**
   * Runs a sales_order extraction (chunks of 25 rows) that crashes at its `failAt`-th state
   * write, after its third object, then one that recovers; checks that the recovery found that
   * object already written and wrote it no twin, and returns the keys under `prefix` after the crash.
   */
  async function crashAfterThirdObject(totesys: Totesys, store: ObjectStore, failAt: number, prefix: string) {
    const config = { table: 'sales_order', chunkRows: 25 } as const;
    const state = crashingOnWrite(objectStateStore(store), failAt);
    const crashing = testbed.handler(totesys, store, config, { state });
    const logger = recordingLogger();
    const recovering = testbed.handler(totesys, store, config, { logger });

    const crashed = await crashing({ mode: 'incremental', table: 'sales_order' });
    const keysAfterCrash = await keysOf(store, prefix);
    const recovered = await recovering({ mode: 'incremental', table: 'sales_order' });

    expect(crashed.batchItemFailures).toHaveLength(1);
    expect(keysAfterCrash).toHaveLength(3);
    expect(recovered.batchItemFailures).toEqual([]);
    const line = logger.lines.find((entry) => entry.message === 'extracted');
    expect(line?.fields.existingObjects).toEqual([keysAfterCrash[2]]);
    return keysAfterCrash;
  }

  it('loses no row and redoes one chunk, which lands on the key already written', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();

    // The first write saves the commit horizon, just before the first object; each later one, progress.
    await crashAfterThirdObject(totesys, store, 4, 'sales_order/');

    const keys = await keysOf(store, 'sales_order/');
    const rows = (await Promise.all(keys.map((key) => rowsOf(store, key)))).flat();
    const expected = await sourceRows(totesys.client, 'sales_order');
    expect(keys).toHaveLength(Math.ceil(expected.length / 25));
    expect(rows.map((row) => row.sales_order_id).sort((a, b) => Number(a) - Number(b))).toEqual(
      expected.map((row) => row.sales_order_id),
    );
  });

  it('past the first extraction, loses no row and redoes one change chunk onto its key', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    await testbed.handler(totesys, store, { table: 'sales_order' })({
      mode: 'incremental',
      table: 'sales_order',
    });
    for (let n = 0; n < 60; n += 1) await insertSalesOrder(totesys.client);
    await pause(20);

    const keysAfterCrash = await crashAfterThirdObject(totesys, store, 3, 'sales_order/changes/');

    const changes = await keysOf(store, 'sales_order/changes/');
    expect(changes).toEqual(keysAfterCrash);
    expect((await Promise.all(changes.map((key) => rowsOf(store, key)))).map((rows) => rows.length)).toEqual([
      25, 25, 10,
    ]);
    expect((await extractedSalesOrderIds(store)).sort((a, b) => a - b)).toEqual(await salesOrderIds(totesys));
  });

  it('after a snapshot, takes the snapshot already written instead of writing its twin', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const state = objectStateStore(store);
    const crashing = testbed.handler(
      totesys,
      store,
      { table: 'staff' },
      { state: crashingOnWrite(state, 1) },
    );
    const recovering = testbed.handler(totesys, store, { table: 'staff' });

    await crashing({ mode: 'incremental', table: 'staff' });
    const snapshots = await keysOf(store, 'staff/snapshots/');
    await recovering({ mode: 'incremental', table: 'staff' });
    await recovering({ mode: 'incremental', table: 'staff' });

    expect(snapshots).toHaveLength(1);
    expect(await keysOf(store, 'staff/snapshots/')).toEqual(snapshots);
    expect((await state.read('staff')).snapshot?.key).toBe(snapshots[0]);
  });
});
