import { MalformedObjectError, type TargetTableName, warehouseTables } from '@totes/pipeline';
import { connectPostgres } from '@totes/runtime/database';
import { describe, expect, it, vi } from 'vitest';
import { loadObject } from '../src/load-object';
import { mayBypassRowTriggers } from '../src/merge/without-row-triggers';
import { MissingDimensionError } from '../src/missing-dimension-error';
import { tableLayout } from '../src/statements/table-layout';
import { fixtureRows } from './fixture-rows';
import { loadBytes, loadRows } from './load-rows';
import { objectKey, snapshotVersion } from './object-key';
import { processedObject } from './processed-object';
import { useWarehouse } from './use-warehouse';

const warehouse = useWarehouse();

const dimensions = (Object.keys(warehouseTables) as TargetTableName[]).filter(
  (table) => warehouseTables[table].kind === 'dim',
);
const facts = (Object.keys(warehouseTables) as TargetTableName[]).filter(
  (table) => warehouseTables[table].kind === 'fact',
);

async function loadDimensions(): Promise<void> {
  for (const table of dimensions) {
    await loadRows(warehouse().client, table, objectKey(table), fixtureRows(table), {
      maxLastUpdated: '2024-11-04 09:00:00.000',
    });
  }
}

describe('loading a processed object', () => {
  it.each(dimensions)('loads %s with exactly the rows of the object', async (table) => {
    const rows = fixtureRows(table);

    const outcome = await loadRows(warehouse().client, table, objectKey(table), rows, {
      maxLastUpdated: '2024-11-04 09:00:00.000',
    });

    expect(outcome).toMatchObject({ outcome: 'loaded', inserted: rows.length, updated: 0, skipped: 0 });
    expect(await warehouse().rows(table)).toEqual(rows);
  });

  it.each(facts)('loads %s once its dimensions are loaded, record ids from the SERIAL', async (table) => {
    await loadDimensions();
    const rows = fixtureRows(table);

    const outcome = await loadRows(warehouse().client, table, objectKey(table), rows, {
      maxLastUpdated: '2024-11-05 10:11:12.013',
    });

    expect(outcome).toMatchObject({ outcome: 'loaded', inserted: rows.length, skipped: 0 });
    expect(await warehouse().rows(table)).toEqual(rows);
    const { recordId } = tableLayout(table);
    const ids = await warehouse().client.query(`SELECT ${recordId} AS id FROM ${table} ORDER BY 1`);
    expect(ids.rows.map((row) => row.id)).toEqual(rows.map((_, index) => index + 1));
  });

  it('acknowledges an object already in the ledger without reading it again', async () => {
    await loadDimensions();
    const key = objectKey('fact_sales_order');
    const bytes = processedObject('fact_sales_order', fixtureRows('fact_sales_order'));
    await loadBytes(warehouse().client, 'fact_sales_order', key, bytes);
    const open = vi.fn();

    const again = await loadObject(warehouse().client, { table: 'fact_sales_order', key, open });

    expect(again).toMatchObject({ outcome: 'already-loaded', inserted: 0 });
    expect(open).not.toHaveBeenCalled();
    expect(await warehouse().count('fact_sales_order')).toBe(2);
  });

  it('adds one fact row for a version that appears twice in one object', async () => {
    await loadDimensions();
    const rows = fixtureRows('fact_sales_order');

    const outcome = await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), [
      ...rows,
      ...rows,
    ]);

    expect(outcome).toMatchObject({ inserted: 2, skipped: 2, append: 'staged' });
    expect(await warehouse().rows('fact_sales_order')).toEqual(rows);
  });

  it('adds nothing for a fact version already loaded from another object', async () => {
    await loadDimensions();
    const rows = fixtureRows('fact_sales_order');
    await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), rows);

    const rescan = await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), [
      ...rows,
      ...rows,
    ]);

    expect(rescan).toMatchObject({ outcome: 'loaded', inserted: 0, skipped: 4, append: 'staged' });
    expect(await warehouse().count('fact_sales_order')).toBe(2);
  });

  it('keeps two versions of an order as two fact rows, the later one being its current state', async () => {
    await loadDimensions();
    const [first] = fixtureRows('fact_sales_order');
    if (!first) throw new Error('fixture missing');
    const second = {
      ...first,
      units_sold: 100,
      last_updated_date: '2024-11-06',
      last_updated_time: '08:00:00.001',
    };
    // The newer version arrives first: order of arrival must not matter.
    await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), [second]);
    await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), [first]);

    const current = await warehouse().client.query(
      'SELECT DISTINCT ON (sales_order_id) sales_order_id, units_sold FROM fact_sales_order ' +
        'ORDER BY sales_order_id, last_updated_date DESC, last_updated_time DESC, sales_record_id DESC',
    );
    expect(await warehouse().count('fact_sales_order')).toBe(2);
    expect(current.rows).toEqual([{ sales_order_id: 1, units_sold: 100 }]);
  });

  it('keeps a silent edit (same last_updated, new content) as a new version', async () => {
    await loadDimensions();
    const [first] = fixtureRows('fact_sales_order');
    if (!first) throw new Error('fixture missing');
    await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), [first]);

    const edited = await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), [
      { ...first, unit_price: '2.44' },
    ]);

    expect(edited).toMatchObject({ inserted: 1 });
    expect(await warehouse().count('fact_sales_order')).toBe(2);
  });

  it('fails a fact whose dimension rows are not loaded, naming them, and commits nothing', async () => {
    await loadDimensions();
    const [row] = fixtureRows('fact_sales_order');
    if (!row) throw new Error('fixture missing');
    const key = objectKey('fact_sales_order');

    const loading = loadRows(warehouse().client, 'fact_sales_order', key, [
      { ...row, sales_staff_id: 99, design_id: 98 },
      { ...row, sales_order_id: 7, sales_staff_id: 97, agreed_delivery_date: '2031-01-15' },
    ]);

    await expect(loading).rejects.toThrow(MissingDimensionError);
    await expect(loading).rejects.toMatchObject({ missing: { dim_staff: ['97', '99'], dim_design: ['98'] } });
    await expect(loading).rejects.toThrow('dim_staff 97, 99; dim_design 98');
    expect(await warehouse().count('fact_sales_order')).toBe(0);
    expect(await warehouse().count('etl.load_ledger WHERE object_key = $1'.replace('$1', `'${key}'`))).toBe(
      0,
    );
    expect(await warehouse().count("dim_date WHERE date_id = '2031-01-15'")).toBe(0);
  });

  it('adds the days a fact references to dim_date by the calendar rules', async () => {
    await loadDimensions();
    const [row] = fixtureRows('fact_payment');
    if (!row) throw new Error('fixture missing');

    const outcome = await loadRows(warehouse().client, 'fact_payment', objectKey('fact_payment'), [
      { ...row, payment_date: '2031-01-15', last_updated_date: '2028-02-29' },
    ]);

    expect(outcome).toMatchObject({ inserted: 1, daysAdded: 2 });
    const days = await warehouse().client.query(
      "SELECT * FROM dim_date WHERE date_id IN ('2031-01-15', '2028-02-29') ORDER BY date_id",
    );
    expect(days.rows).toEqual([
      {
        date_id: '2028-02-29',
        year: 2028,
        month: 2,
        day: 29,
        day_of_week: 2,
        day_name: 'Tuesday',
        month_name: 'February',
        quarter: 1,
      },
      {
        date_id: '2031-01-15',
        year: 2031,
        month: 1,
        day: 15,
        day_of_week: 3,
        day_name: 'Wednesday',
        month_name: 'January',
        quarter: 1,
      },
    ]);
  });

  it('records the newest source last_updated loaded per table', async () => {
    await loadDimensions();
    const rows = fixtureRows('fact_sales_order');
    await loadRows(warehouse().client, 'fact_sales_order', objectKey('fact_sales_order'), rows, {
      maxLastUpdated: '2024-11-05 10:11:12.013',
    });

    const older = await loadRows(
      warehouse().client,
      'fact_sales_order',
      objectKey('fact_sales_order'),
      rows,
      {
        maxLastUpdated: '2024-11-04 14:20:52.186',
      },
    );

    expect(older.freshAsOf).toBe('2024-11-05 10:11:12.013');
    const freshness = await warehouse().client.query(
      "SELECT max_last_updated::text FROM etl.freshness WHERE table_name = 'fact_sales_order'",
    );
    expect(freshness.rows).toEqual([{ max_last_updated: '2024-11-05 10:11:12.013' }]);
  });

  it('refuses a dimension rebuilt from an older snapshot of any input, whatever the arrival order', async () => {
    const [staff] = fixtureRows('dim_staff');
    if (!staff) throw new Error('fixture missing');
    const newer = objectKey('dim_staff', {
      versions: { staff: snapshotVersion(6), department: snapshotVersion(6) },
    });
    const older = objectKey('dim_staff', {
      versions: { staff: snapshotVersion(5), department: snapshotVersion(7) },
    });
    await loadRows(warehouse().client, 'dim_staff', newer, [staff]);

    const outcome = await loadRows(warehouse().client, 'dim_staff', older, [{ ...staff, location: 'Old' }]);

    expect(outcome).toMatchObject({ outcome: 'superseded', inserted: 0, updated: 0, skipped: 1 });
    expect(outcome.reason).toContain('staff snapshot');
    expect(await warehouse().rows('dim_staff')).toEqual([staff]);
  });

  it('updates a dimension rebuilt from newer snapshots, rewriting only the rows that changed', async () => {
    const rows = fixtureRows('dim_location');
    await loadRows(warehouse().client, 'dim_location', objectKey('dim_location', { day: 4 }), rows);
    const changed = rows.map((row, index) => (index === 0 ? { ...row, phone: '0161 000000' } : row));

    const outcome = await loadRows(
      warehouse().client,
      'dim_location',
      objectKey('dim_location', { day: 5 }),
      [...changed, { ...changed[0], location_id: 3 } as (typeof changed)[number]],
    );

    expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 1, updated: 1, skipped: 1 });
    expect(await warehouse().rows('dim_location')).toEqual([...changed, { ...changed[0], location_id: 3 }]);
  });

  it('applies a reprocessed generation of the same snapshots, and refuses the older generation after it', async () => {
    const [design] = fixtureRows('dim_design');
    if (!design) throw new Error('fixture missing');
    await loadRows(warehouse().client, 'dim_design', objectKey('dim_design', { generation: 1 }), [design]);
    await loadRows(warehouse().client, 'dim_design', objectKey('dim_design', { generation: 2 }), [
      { ...design, design_name: 'Fixed' },
    ]);

    const older = objectKey('dim_design', { generation: 1 }).replace('/g1/', '/g0/');

    const replay = await loadRows(warehouse().client, 'dim_design', older, [design]);

    expect(replay).toMatchObject({ outcome: 'superseded', skipped: 1 });
    expect(await warehouse().rows('dim_design')).toEqual([{ ...design, design_name: 'Fixed' }]);
  });

  describe('dimension rows by observation order', () => {
    const rowVersion = async (id: number) =>
      (
        await warehouse().client.query(
          "SELECT version::text, observed_at::text FROM etl.dimension_row_version WHERE table_name = 'dim_transaction' AND natural_id = $1",
          [String(id)],
        )
      ).rows[0];

    it('applies a silent edit shipped among older rows, whatever their last_updated', async () => {
      const [sale] = fixtureRows('dim_transaction');
      if (!sale) throw new Error('fixture missing');
      await loadRows(warehouse().client, 'dim_transaction', objectKey('dim_transaction'), [sale], {
        maxLastUpdated: '2024-11-06 10:00:00.000',
        observedAt: '20241106T100001000',
      });

      // Read later (a sweep), in an object whose newest last_updated is older than the first's.
      const outcome = await loadRows(
        warehouse().client,
        'dim_transaction',
        objectKey('dim_transaction'),
        [{ ...sale, sales_order_id: null }],
        { maxLastUpdated: '2024-11-05 10:00:00.000', observedAt: '20241107T080000000' },
      );

      expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 0, updated: 1, skipped: 0 });
      expect(await warehouse().rows('dim_transaction')).toEqual([{ ...sale, sales_order_id: null }]);
      expect(await rowVersion(sale.transaction_id)).toEqual({
        version: '2024-11-06 10:00:00',
        observed_at: '2024-11-07 08:00:00',
      });
    });

    it('never lets an older observation delivered after a newer one overwrite it', async () => {
      const [sale] = fixtureRows('dim_transaction');
      if (!sale) throw new Error('fixture missing');
      const older = objectKey('dim_transaction');
      const olderBytes = processedObject('dim_transaction', [sale], {
        maxLastUpdated: '2024-11-06 10:00:00.000',
        observedAt: '20241106T100001000',
      });
      // The newer observation (a silent edit: last_updated unchanged) is delivered first.
      await loadRows(
        warehouse().client,
        'dim_transaction',
        objectKey('dim_transaction'),
        [{ ...sale, sales_order_id: null }],
        { maxLastUpdated: '2024-11-06 10:00:00.000', observedAt: '20241106T110000000' },
      );

      const outcome = await loadBytes(warehouse().client, 'dim_transaction', older, olderBytes);

      expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 0, updated: 0, skipped: 1 });
      expect(await warehouse().rows('dim_transaction')).toEqual([{ ...sale, sales_order_id: null }]);
      expect((await rowVersion(sale.transaction_id))?.observed_at).toBe('2024-11-06 11:00:00');
    });

    it('changes nothing when the same observation is delivered again under another key', async () => {
      const [sale] = fixtureRows('dim_transaction');
      if (!sale) throw new Error('fixture missing');
      const options = { maxLastUpdated: '2024-11-06 10:00:00.000', observedAt: '20241106T100001000' };
      await loadRows(warehouse().client, 'dim_transaction', objectKey('dim_transaction'), [sale], options);
      const before = await rowVersion(sale.transaction_id);

      // Another key, so the ledger does not short-cut it: the guard and the upsert must.
      const replay = await loadRows(
        warehouse().client,
        'dim_transaction',
        objectKey('dim_transaction'),
        [sale],
        options,
      );

      expect(replay).toMatchObject({ outcome: 'loaded', inserted: 0, updated: 0, skipped: 1 });
      expect(await warehouse().rows('dim_transaction')).toEqual([sale]);
      expect(await rowVersion(sale.transaction_id)).toEqual(before);
    });

    it('applies an object without an observation time only to rows no observed object wrote', async () => {
      const [sale, purchase] = fixtureRows('dim_transaction');
      if (!sale || !purchase) throw new Error('fixture missing');
      await loadRows(warehouse().client, 'dim_transaction', objectKey('dim_transaction'), [sale], {
        maxLastUpdated: '2024-11-01 10:00:00.000',
        observedAt: '20241101T100001000',
      });

      // Written before observation times were recorded, with a newer last_updated.
      const outcome = await loadRows(
        warehouse().client,
        'dim_transaction',
        objectKey('dim_transaction'),
        [{ ...sale, sales_order_id: null }, purchase],
        { maxLastUpdated: '2024-11-06 10:00:00.000' },
      );

      expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 1, updated: 0, skipped: 1 });
      expect(await warehouse().rows('dim_transaction')).toEqual([sale, purchase]);
    });
  });

  it('keeps the newer version of a transaction row when an older change batch without observation times arrives later', async () => {
    const [sale] = fixtureRows('dim_transaction');
    if (!sale) throw new Error('fixture missing');
    await loadRows(warehouse().client, 'dim_transaction', objectKey('dim_transaction'), [sale], {
      maxLastUpdated: '2024-11-06 10:00:00.000',
    });

    const outcome = await loadRows(
      warehouse().client,
      'dim_transaction',
      objectKey('dim_transaction'),
      [{ ...sale, sales_order_id: 5 }],
      { maxLastUpdated: '2024-11-05 10:00:00.000' },
    );

    expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 0, updated: 0, skipped: 1 });
    expect(await warehouse().rows('dim_transaction')).toEqual([sale]);
  });

  /**
   * More referenced dim_transaction rows than the census keeps (ids 10 to 20,010), all loaded but
   * one from the middle of the range, so a check of only some of the rows misses it; and a
   * payment for each. `addMissing` loads the missing one.
   */
  async function manyReferencesOneMissing() {
    await loadDimensions();
    const [payment] = fixtureRows('fact_payment');
    const [sale] = fixtureRows('dim_transaction');
    if (!payment || !sale) throw new Error('fixture missing');
    const ids = Array.from({ length: 20_001 }, (_, index) => index + 10);
    const missing = 10_010;
    const transactions = (keep: (id: number) => boolean) =>
      loadRows(
        warehouse().client,
        'dim_transaction',
        objectKey('dim_transaction'),
        ids.filter(keep).map((transaction_id) => ({ ...sale, transaction_id })),
        { maxLastUpdated: '2024-11-04 09:00:00.000' },
      );
    await transactions((id) => id !== missing);
    const payments = ids.map((id) => ({ ...payment, payment_id: id, transaction_id: id }));
    return { payment, payments, missing, addMissing: () => transactions((id) => id === missing) };
  }

  it('checks references against the copied rows when an object references too many keys to keep', async () => {
    const { payments, missing, addMissing } = await manyReferencesOneMissing();
    const count = payments.length;

    const waiting = loadRows(warehouse().client, 'fact_payment', objectKey('fact_payment'), payments);
    await expect(waiting).rejects.toMatchObject({ missing: { dim_transaction: [String(missing)] } });
    expect(await warehouse().count('fact_payment')).toBe(0);
    await addMissing();
    const loaded = await loadRows(warehouse().client, 'fact_payment', objectKey('fact_payment'), payments);

    expect(loaded).toMatchObject({ outcome: 'loaded', inserted: count, append: 'direct' });
  });

  it('checks references against the staged rows when a staged object references too many keys', async () => {
    const { payment, payments, missing } = await manyReferencesOneMissing();
    await loadRows(warehouse().client, 'fact_payment', objectKey('fact_payment'), [
      { ...payment, payment_id: 10, transaction_id: 11 },
    ]);

    const waiting = loadRows(warehouse().client, 'fact_payment', objectKey('fact_payment'), payments);

    await expect(waiting).rejects.toMatchObject({ missing: { dim_transaction: [String(missing)] } });
    expect(await warehouse().count('fact_payment')).toBe(1);
  });

  it('loads facts through the foreign-key triggers when its role may not switch them off', async () => {
    await loadDimensions();
    const role = `loader_${Math.random().toString(36).slice(2, 10)}`;
    const admin = warehouse().client;
    await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD 'plain'`);
    await admin.query(`GRANT USAGE ON SCHEMA public, etl TO ${role}`);
    await admin.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public, etl TO ${role}`);
    await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    const url = new URL(warehouse().url);
    url.username = role;
    url.password = 'plain';
    const plain = await connectPostgres(url.toString(), {
      statementTimeoutMs: 30_000,
      applicationName: 'plain',
    });
    try {
      const [row] = fixtureRows('fact_sales_order');
      if (!row) throw new Error('fixture missing');

      const loaded = await loadRows(plain, 'fact_sales_order', objectKey('fact_sales_order'), [row]);
      const waiting = loadRows(plain, 'fact_sales_order', objectKey('fact_sales_order'), [
        { ...row, sales_order_id: 9, design_id: 77 },
      ]);

      expect(await mayBypassRowTriggers(plain)).toBe(false);
      expect(loaded).toMatchObject({ outcome: 'loaded', inserted: 1, append: 'staged' });
      await expect(waiting).rejects.toMatchObject({ missing: { dim_design: ['77'] } });
      expect(await warehouse().rows('fact_sales_order')).toEqual([row]);
    } finally {
      await plain.end();
      await admin.query(`DROP OWNED BY ${role}`);
      await admin.query(`DROP ROLE ${role}`);
    }
  });

  it('rejects an object holding one natural key twice as malformed, committing nothing', async () => {
    const [currency] = fixtureRows('dim_currency');
    if (!currency) throw new Error('fixture missing');

    const loading = loadRows(warehouse().client, 'dim_currency', objectKey('dim_currency'), [
      currency,
      currency,
    ]);

    await expect(loading).rejects.toThrow(MalformedObjectError);
    expect(await warehouse().count('dim_currency')).toBe(0);
    expect(await warehouse().count('etl.load_ledger')).toBe(0);
  });

  it('rejects an object sent to the wrong table as malformed', async () => {
    const bytes = processedObject('dim_location', fixtureRows('dim_location'));

    const loading = loadBytes(warehouse().client, 'dim_staff', objectKey('dim_location'), bytes);

    await expect(loading).rejects.toThrow(/dim_location object, not dim_staff/);
  });
});
