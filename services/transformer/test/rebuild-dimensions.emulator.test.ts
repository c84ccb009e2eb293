import { ingestKey, processedKey, type ReferenceTableName } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { calendarHandler } from '../src/calendar-handler';
import { type RebuildTarget, tableTransforms } from '../src/table-transforms';
import { readWithDuckDb } from './duckdb-parquet';
import { fixtureRow, jsonLines, totesys } from './fixtures';
import { transformDriver } from './transform-driver';

// The tests share the file's buckets, where snapshots accumulate as they would in production;
// each test takes its snapshots later than those of the tests before it.
const pipeline = useTestPipeline();
const driver = transformDriver(pipeline);

const snapshotKey = (table: ReferenceTableName, takenAt: string, hash = '0123456789abcdef') =>
  ingestKey({ kind: 'snapshot', table, takenAt, hash });

/** Writes a snapshot object and hands its notification to the target's handler directly. */
async function snapshot(
  target: RebuildTarget,
  table: ReferenceTableName,
  takenAt: string,
  rows: readonly object[],
  hash?: string,
) {
  const key = snapshotKey(table, takenAt, hash);
  const object = await driver.put(key, jsonLines(rows));
  const response = await driver.handler(target)(driver.event(driver.envelope(object)), undefined as never);
  return { key, response };
}

async function read(key: string) {
  const bytes = await driver.processed(key);
  if (!bytes) throw new Error(`no processed object ${key}`);
  return readWithDuckDb(bytes);
}

describe('rebuilding dimensions from snapshots, on the emulator', () => {
  it('waits for the second input of dim_staff, then builds it, and rebuilds every staff row of a changed department', async () => {
    const staff = await snapshot('dim_staff', 'staff', '20241104T090000000', totesys.staff);
    expect(staff.response.batchItemFailures).toEqual([]);
    expect(await driver.processedKeys('dim_staff/')).toEqual([]);
    expect(driver.log.at(-1)).toMatchObject({
      message: 'transform waiting',
      fields: { missing: ['department'] },
    });

    const department = await snapshot('dim_staff', 'department', '20241104T090000001', totesys.department);
    expect(department.response.batchItemFailures).toEqual([]);
    const first = processedKey({
      kind: 'rebuild',
      target: 'dim_staff',
      generation: 1,
      versions: {
        staff: '20241104T090000000-0123456789abcdef',
        department: '20241104T090000001-0123456789abcdef',
      },
    });
    expect(first).toBe(
      'dim_staff/g1/staff=20241104T090000000-0123456789abcdef/department=20241104T090000001-0123456789abcdef.parquet',
    );
    const built = await read(first);
    expect(built.types).toEqual({
      staff_id: 'INTEGER',
      first_name: 'VARCHAR',
      last_name: 'VARCHAR',
      department_name: 'VARCHAR',
      location: 'VARCHAR',
      email_address: 'VARCHAR',
    });
    expect(built.rows.map((row) => [row.staff_id, row.department_name, row.location])).toEqual([
      [1, 'Dispatch', 'Leds'],
      [2, 'Sales', 'Manchester'],
      [3, 'Dispatch', 'Leds'],
    ]);
    expect(built.metadata['totes.sources']).toBe(JSON.stringify([staff.key, department.key]));
    expect(built.metadata['totes.max_last_updated']).toBe('2022-11-03 14:20:51.563');

    const moved = totesys.department.map((row) =>
      row.department_id === 6 ? { ...row, location: 'Leeds', last_updated: '2024-11-04 10:00:00.000' } : row,
    );
    await snapshot('dim_staff', 'department', '20241104T100000000', moved, 'fedcba9876543210');
    const rebuilt = await read(
      processedKey({
        kind: 'rebuild',
        target: 'dim_staff',
        generation: 1,
        versions: {
          staff: '20241104T090000000-0123456789abcdef',
          department: '20241104T100000000-fedcba9876543210',
        },
      }),
    );
    expect(rebuilt.rows.map((row) => [row.staff_id, row.location])).toEqual([
      [1, 'Leeds'],
      [2, 'Manchester'],
      [3, 'Leeds'],
    ]);
    expect(rebuilt.metadata['totes.max_last_updated']).toBe('2024-11-04 10:00:00.000');
  });

  it('rebuilds dim_counterparty when either input changes, an address change reaching every counterparty at it', async () => {
    await snapshot('dim_counterparty', 'address', '20241104T090000000', totesys.address);
    const sharing = [
      ...totesys.counterparty,
      { ...fixtureRow('counterparty', 0), counterparty_id: 3, counterparty_legal_name: 'Kub Inc' },
    ];
    await snapshot('dim_counterparty', 'counterparty', '20241104T090000001', sharing);
    const moved = totesys.address.map((row) =>
      row.address_id === 2 ? { ...row, city: 'Bath', district: 'Somerset' } : row,
    );
    const { response } = await snapshot(
      'dim_counterparty',
      'address',
      '20241104T110000000',
      moved,
      'aaaaaaaaaaaaaaaa',
    );
    expect(response.batchItemFailures).toEqual([]);

    const keys = await driver.processedKeys('dim_counterparty/g1/');
    expect(keys).toEqual([
      'dim_counterparty/g1/counterparty=20241104T090000001-0123456789abcdef/address=20241104T090000000-0123456789abcdef.parquet',
      'dim_counterparty/g1/counterparty=20241104T090000001-0123456789abcdef/address=20241104T110000000-aaaaaaaaaaaaaaaa.parquet',
    ]);
    const latest = await read(keys[1] as string);
    expect(latest.rows).toEqual([
      {
        counterparty_id: 1,
        counterparty_legal_name: 'Fahey and Sons',
        counterparty_legal_address_line_1: '179 Alexie Cliffs',
        counterparty_legal_address_line_2: 'Flat 3',
        counterparty_legal_district: 'Somerset',
        counterparty_legal_city: 'Bath',
        counterparty_legal_postal_code: '99305-7380',
        counterparty_legal_country: 'San Marino',
        counterparty_legal_phone_number: '9621 880720',
      },
      expect.objectContaining({
        counterparty_id: 2,
        counterparty_legal_city: 'New Patienceburgh',
        counterparty_legal_address_line_2: null,
      }),
      expect.objectContaining({
        counterparty_id: 3,
        counterparty_legal_city: 'Bath',
        counterparty_legal_district: 'Somerset',
      }),
    ]);
  });

  it.each([
    [
      'dim_location',
      'address',
      3,
      { location_id: 3, address_line_2: null, district: null, city: 'Lake Charles' },
    ],
    ['dim_currency', 'currency', 3, { currency_id: 1, currency_code: 'GBP', currency_name: 'British Pound' }],
    ['dim_design', 'design', 2, { design_id: 8, design_name: 'Wooden' }],
    ['dim_payment_type', 'payment_type', 4, { payment_type_id: 1, payment_type_name: 'SALES_RECEIPT' }],
  ] as const)('rebuilds %s from each new %s snapshot', async (target, table, count, sample) => {
    expect(tableTransforms[target].kind).toBe('rebuild');
    await snapshot(target, table, '20250104T090000000', totesys[table]);
    await snapshot(target, table, '20250105T090000000', totesys[table].slice(0, 1), 'bbbbbbbbbbbbbbbb');
    const keys = await driver.processedKeys(`${target}/g1/${table}=2025`);
    expect(keys).toEqual([
      `${target}/g1/${table}=20250104T090000000-0123456789abcdef.parquet`,
      `${target}/g1/${table}=20250105T090000000-bbbbbbbbbbbbbbbb.parquet`,
    ]);
    const first = await read(keys[0] as string);
    expect(first.rows).toHaveLength(count);
    expect(first.rows).toContainEqual(expect.objectContaining(sample));
    expect((await read(keys[1] as string)).rows).toHaveLength(1);
  });

  it('builds from the latest snapshots when an older snapshot’s event arrives late, and writes nothing new', async () => {
    const older = await driver.put(
      snapshotKey('currency', '20261201T090000000'),
      jsonLines(totesys.currency),
    );
    const newer = await driver.put(
      snapshotKey('currency', '20261201T100000000'),
      jsonLines(
        totesys.currency.map((row) => ({
          ...row,
          currency_code: row.currency_code === 'EUR' ? 'CHF' : row.currency_code,
        })),
      ),
    );
    const handler = driver.handler('dim_currency');
    await handler(driver.event(driver.envelope(newer)), undefined as never);
    const before = await driver.processedKeys('dim_currency/g1/currency=20261201');
    const late = await handler(driver.event(driver.envelope(older)), undefined as never);

    expect(late.batchItemFailures).toEqual([]);
    expect(before).toEqual(['dim_currency/g1/currency=20261201T100000000-0123456789abcdef.parquet']);
    expect(await driver.processedKeys('dim_currency/g1/currency=20261201')).toEqual(before);
    expect(driver.log.at(-1)).toMatchObject({
      message: 'transform exists',
      fields: { trigger: older.key, outputKey: before[0] },
    });
    expect((await read(before[0] as string)).rows).toContainEqual({
      currency_id: 3,
      currency_code: 'CHF',
      currency_name: 'Swiss Franc',
    });
  });

  it('writes dim_date for 2020-01-01 to 2030-12-31 when provisioned, and extends it on request', async () => {
    const handler = calendarHandler({
      stores: driver.deps().stores,
      generation: 1,
      logger: driver.deps().logger,
    });
    expect(await handler({})).toMatchObject({
      status: 'written',
      outputKey: 'dim_date/g1/calendar/20200101-20301231.parquet',
      rowsOut: 4018,
    });
    expect(await handler(undefined)).toMatchObject({ status: 'exists' });
    const table = await read('dim_date/g1/calendar/20200101-20301231.parquet');
    expect(table.types).toEqual({
      date_id: 'DATE',
      year: 'INTEGER',
      month: 'INTEGER',
      day: 'INTEGER',
      day_of_week: 'INTEGER',
      day_name: 'VARCHAR',
      month_name: 'VARCHAR',
      quarter: 'INTEGER',
    });
    expect(table.rows).toHaveLength(4018);
    expect(table.rows[0]).toEqual({
      date_id: '2020-01-01',
      year: 2020,
      month: 1,
      day: 1,
      day_of_week: 3,
      day_name: 'Wednesday',
      month_name: 'January',
      quarter: 1,
    });
    expect(table.metadata).toEqual({
      'totes.sources': '[]',
      'totes.schema_version': '1',
      'totes.rows': '4018',
    });

    expect(await handler({ from: '2031-01-01', to: '2031-12-31' })).toMatchObject({
      status: 'written',
      outputKey: 'dim_date/g1/calendar/20310101-20311231.parquet',
      rowsOut: 365,
    });
    await expect(handler({ from: '2031-12-31', to: '2031-01-01' })).rejects.toThrow(/must not be after/);
  });

  it('quarantines a snapshot row that breaks its schema and a staff row whose mapping breaks a rule, and builds the rest', async () => {
    const departments = totesys.department.map((row) =>
      row.department_id === 1 ? { ...row, department_name: null } : row,
    );
    const staffKey = (await snapshot('dim_staff', 'staff', '20241105T090000000', totesys.staff)).key;
    const { key: departmentKey, response } = await snapshot(
      'dim_staff',
      'department',
      '20241105T090000001',
      departments,
    );
    expect(response.batchItemFailures).toEqual([]);
    const built = await read(
      processedKey({
        kind: 'rebuild',
        target: 'dim_staff',
        generation: 1,
        versions: {
          staff: '20241105T090000000-0123456789abcdef',
          department: '20241105T090000001-0123456789abcdef',
        },
      }),
    );
    // Staff 2 is in department 1, which the snapshot quarantined: it is left out, not failed.
    expect(built.rows.map((row) => row.staff_id)).toEqual([1, 3]);
    expect(built.metadata['totes.quarantined']).toBe('2');
    expect(JSON.parse(built.metadata['totes.quarantine'] ?? '[]')).toEqual([
      {
        sourceTable: 'department',
        sourceId: 1,
        objectKey: departmentKey,
        line: departments.findIndex((row) => row.department_id === 1) + 1,
        column: 'department_name',
        value: 'null',
        reason: expect.stringContaining('department_name'),
      },
      {
        sourceTable: 'staff',
        sourceId: 2,
        objectKey: staffKey,
        line: totesys.staff.findIndex((row) => row.staff_id === 2) + 1,
        column: 'department_id',
        value: '1',
        reason: expect.stringContaining('which the department snapshot does not hold'),
      },
    ]);
    expect(JSON.parse(built.metadata['totes.observed'] ?? '{}')).toEqual({
      staff: '2024-11-05 09:00:00.000',
      department: '2024-11-05 09:00:00.001',
    });
  });
});
