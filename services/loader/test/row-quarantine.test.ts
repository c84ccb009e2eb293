import { type QuarantinedRow, type TargetTableName, warehouseTables } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { fixtureRows } from './fixture-rows';
import { loadRows } from './load-rows';
import { objectKey, snapshotVersion } from './object-key';
import { useWarehouse } from './use-warehouse';

const warehouse = useWarehouse();

const dimensions = (Object.keys(warehouseTables) as TargetTableName[]).filter(
  (table) => warehouseTables[table].kind === 'dim',
);

async function loadDimensions(): Promise<void> {
  for (const table of dimensions) {
    await loadRows(warehouse().client, table, objectKey(table), fixtureRows(table), {
      maxLastUpdated: '2024-11-04 09:00:00.000',
    });
  }
}

const soon = (sourceId: number, objectKey = 'sales_order/changes/a.jsonl.zst'): QuarantinedRow => ({
  sourceTable: 'sales_order',
  sourceId,
  objectKey,
  line: sourceId,
  column: 'agreed_delivery_date',
  value: '"soon"',
  reason: '✖ Invalid ISO date → at agreed_delivery_date',
});

const [order1, order2] = fixtureRows('fact_sales_order');
if (!order1 || !order2) throw new Error('the fixture has two sales orders');
const observed = (at: string) => ({ observed: { sales_order: at } });

async function quarantine() {
  const { rows } = await warehouse().client.query(
    'SELECT table_name, source_table, source_id, object_key, line, column_name, value, reason, ' +
      "to_char(observed_at, 'YYYY-MM-DD HH24:MI:SS.MS') AS observed_at, generation FROM etl.quarantine " +
      'ORDER BY source_id, observed_at',
  );
  return rows;
}

describe('quarantined rows, in the warehouse', () => {
  it('loads the good rows of an object and records its bad one in etl.quarantine, in the same transaction', async () => {
    await loadDimensions();
    const key = objectKey('fact_sales_order');

    const outcome = await loadRows(warehouse().client, 'fact_sales_order', key, [order1], {
      ...observed('2024-11-04 14:20:52.186'),
      quarantine: [soon(2)],
    });

    expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 1, quarantined: 1 });
    expect(await warehouse().rows('fact_sales_order')).toEqual([order1]);
    expect(await quarantine()).toEqual([
      {
        table_name: 'fact_sales_order',
        source_table: 'sales_order',
        source_id: 2,
        object_key: 'sales_order/changes/a.jsonl.zst',
        line: 2,
        column_name: 'agreed_delivery_date',
        value: '"soon"',
        reason: soon(2).reason,
        observed_at: '2024-11-04 14:20:52.186',
        generation: 1,
      },
    ]);
    const ledger = await warehouse().client.query(
      'SELECT rows_quarantined FROM etl.load_ledger WHERE object_key = $1',
      [key],
    );
    expect(ledger.rows).toEqual([{ rows_quarantined: 1 }]);
  });

  it('loads an object whose rows are all quarantined, so its quarantine is recorded', async () => {
    const outcome = await loadRows(
      warehouse().client,
      'fact_sales_order',
      objectKey('fact_sales_order'),
      [],
      {
        ...observed('2024-11-04 14:20:52.186'),
        quarantine: [soon(1), soon(2)],
      },
    );
    expect(outcome).toMatchObject({ outcome: 'loaded', inserted: 0 });
    expect((await quarantine()).map((entry) => entry.source_id)).toEqual([1, 2]);
  });

  it('releases a row when a later observation of it loads, never for an older one, and never quarantines it again from an older object', async () => {
    await loadDimensions();
    const client = warehouse().client;
    await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [order1], {
      ...observed('2024-11-05 10:00:00.000'),
      quarantine: [soon(2)],
    });

    // A batch read before the bad one (a late or replayed message) passes the row: no release.
    const older = await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [order2], {
      ...observed('2024-11-04 10:00:00.000'),
    });
    expect(older).not.toHaveProperty('released');
    expect(await quarantine()).toHaveLength(1);

    // The row read again after the source was fixed (an update or a sweep): released.
    const fixed = { ...order2, last_updated_date: '2024-11-06', last_updated_time: '08:00:00.000' };
    await loadRows(client, 'dim_date', objectKey('dim_date'), [
      {
        date_id: '2024-11-06',
        year: 2024,
        month: 11,
        day: 6,
        day_of_week: 3,
        day_name: 'Wednesday',
        month_name: 'November',
        quarter: 4,
      },
    ]);
    const later = await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [fixed], {
      ...observed('2024-11-06 08:00:00.000'),
    });
    expect(later).toMatchObject({ outcome: 'loaded', released: 1 });
    expect(await quarantine()).toEqual([]);

    // The bad batch transformed again (a reprocess) is older than the release: nothing returns.
    await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order', { generation: 2 }), [order1], {
      ...observed('2024-11-05 10:00:00.000'),
      quarantine: [soon(2)],
    });
    expect(await quarantine()).toEqual([]);
  });

  it('replaces an entry when a later observation of the row fails again, keeping since', async () => {
    await loadDimensions();
    const client = warehouse().client;
    await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [], {
      ...observed('2024-11-05 10:00:00.000'),
      quarantine: [soon(2, 'sales_order/changes/first.jsonl.zst')],
    });
    const { rows: before } = await client.query('SELECT since FROM etl.quarantine');
    await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [], {
      ...observed('2024-11-06 10:00:00.000'),
      quarantine: [soon(2, 'sales_order/changes/second.jsonl.zst')],
    });
    const { rows } = await client.query('SELECT object_key, since FROM etl.quarantine');
    expect(rows).toEqual([{ object_key: 'sales_order/changes/second.jsonl.zst', since: before[0]?.since }]);
  });

  it('keeps the loaded dimension row of a snapshot row quarantined, and releases it with the next snapshot that passes', async () => {
    const client = warehouse().client;
    const currencies = fixtureRows('dim_currency');
    await loadRows(client, 'dim_currency', objectKey('dim_currency', { day: 4 }), currencies);
    const usd: QuarantinedRow = {
      sourceTable: 'currency',
      sourceId: 2,
      objectKey: 'currency/snapshots/x.jsonl.zst',
      line: 2,
      column: 'currency_code',
      value: '"us$"',
      reason: 'not three capital letters',
    };

    await loadRows(
      client,
      'dim_currency',
      objectKey('dim_currency', { versions: { currency: snapshotVersion(5) } }),
      currencies.filter((row) => row.currency_id !== 2),
      { observed: { currency: '2024-11-05 09:15:02.345' }, quarantine: [usd] },
    );
    expect(await warehouse().rows('dim_currency')).toEqual(currencies);
    expect((await quarantine()).map((entry) => [entry.source_table, entry.source_id])).toEqual([
      ['currency', 2],
    ]);

    const next = await loadRows(
      client,
      'dim_currency',
      objectKey('dim_currency', { versions: { currency: snapshotVersion(6) } }),
      currencies,
      { observed: { currency: '2024-11-06 09:15:02.345' } },
    );
    expect(next).toMatchObject({ outcome: 'loaded', released: 1 });
    expect(await quarantine()).toEqual([]);
  });

  it('does not quarantine a row from an older object that arrives after a later version of the row loaded', async () => {
    await loadDimensions();
    const client = warehouse().client;
    // order2's version was made 2024-11-05 10:11:12.013: after the late batch below was read.
    await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [order2], {
      ...observed('2024-11-05 10:11:12.013'),
    });
    const late = await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [order1], {
      ...observed('2024-11-05 09:00:00.000'),
      quarantine: [soon(2)],
    });
    expect(late).toMatchObject({ outcome: 'loaded', quarantined: 1 });
    expect(await quarantine()).toEqual([]);

    // A later batch that fails the same row is recorded: it outranks the loaded version.
    await loadRows(client, 'fact_sales_order', objectKey('fact_sales_order'), [], {
      ...observed('2024-11-05 11:00:00.000'),
      quarantine: [soon(2)],
    });
    expect((await quarantine()).map((entry) => entry.observed_at)).toEqual(['2024-11-05 11:00:00.000']);
  });

  it('quarantines and releases rows of dim_transaction, loaded row by row from change batches', async () => {
    const client = warehouse().client;
    const [sale, purchase] = fixtureRows('dim_transaction');
    if (!sale || !purchase) throw new Error('the fixture has two transactions');
    const nullType: QuarantinedRow = {
      sourceTable: 'transaction',
      sourceId: purchase.transaction_id,
      objectKey: 'transaction/changes/a.jsonl.zst',
      line: 2,
      column: 'transaction_type',
      value: 'null',
      reason: 'expected one of "SALE"|"PURCHASE"',
    };
    await loadRows(client, 'dim_transaction', objectKey('dim_transaction'), [sale], {
      maxLastUpdated: '2024-11-04 09:00:00.000',
      observed: { transaction: '2024-11-04 09:00:00.000' },
      quarantine: [nullType],
    });
    expect(await warehouse().rows('dim_transaction')).toEqual([sale]);
    expect((await quarantine()).map((entry) => [entry.table_name, entry.source_id])).toEqual([
      ['dim_transaction', purchase.transaction_id],
    ]);

    const fixed = await loadRows(client, 'dim_transaction', objectKey('dim_transaction'), [purchase], {
      maxLastUpdated: '2024-11-04 10:00:00.000',
      observed: { transaction: '2024-11-04 10:00:00.000' },
    });
    expect(fixed).toMatchObject({ outcome: 'loaded', inserted: 1, released: 1 });
    expect(await quarantine()).toEqual([]);
  });

  it('releases a staff row quarantined for its department once a newer department snapshot passes, the staff snapshot unchanged', async () => {
    const client = warehouse().client;
    const staff = fixtureRows('dim_staff');
    const [kept, held] = staff;
    if (!kept || !held) throw new Error('the fixture has two staff');
    const staffVersion = snapshotVersion(5);
    const noDepartment: QuarantinedRow = {
      sourceTable: 'staff',
      sourceId: held.staff_id,
      objectKey: `staff/snapshots/${staffVersion}.jsonl.zst`,
      line: 2,
      column: 'department_id',
      value: '1',
      reason: 'dim_staff: staff 2 has department_id 1, which the department snapshot does not hold',
    };
    await loadRows(
      client,
      'dim_staff',
      objectKey('dim_staff', { versions: { staff: staffVersion, department: snapshotVersion(5) } }),
      [kept],
      {
        observed: { staff: '2024-11-05 09:15:02.345', department: '2024-11-05 09:15:02.345' },
        quarantine: [noDepartment],
      },
    );
    expect((await quarantine()).map((entry) => entry.source_id)).toEqual([held.staff_id]);

    const fixed = await loadRows(
      client,
      'dim_staff',
      objectKey('dim_staff', { versions: { staff: staffVersion, department: snapshotVersion(6) } }),
      staff,
      { observed: { staff: '2024-11-05 09:15:02.345', department: '2024-11-06 09:15:02.345' } },
    );
    expect(fixed).toMatchObject({ outcome: 'loaded', released: 1 });
    expect(await quarantine()).toEqual([]);
  });
});
