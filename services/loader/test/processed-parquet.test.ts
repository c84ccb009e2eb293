import type { TargetTableName } from '@totes/pipeline';
import { MalformedObjectError } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { openProcessedParquet } from '../src/copy/processed-parquet';
import { tableLayout } from '../src/statements/table-layout';
import { decodedRows } from './decoded-rows';
import { fixtureRows } from './fixture-rows';
import { type DecimalStorage, processedObject } from './processed-object';

const key =
  'fact_sales_order/g1/sales_order/changes/00000000T000000000-0000000000_20241104T142052186-0000000001.parquet';

function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function read(bytes: Uint8Array, table: TargetTableName) {
  const parquet = await openProcessedParquet(bufferOf(bytes), tableLayout(table), key);
  return decodedRows(parquet, tableLayout(table));
}

describe('a processed Parquet object', () => {
  it.each(['fact_sales_order', 'fact_payment', 'dim_location', 'dim_transaction', 'dim_date'] as const)(
    'gives back every value of a %s object exactly',
    async (table) => {
      const rows = fixtureRows(table);

      expect((await read(processedObject(table, rows), table)).flat()).toEqual(rows);
    },
  );

  it.each<DecimalStorage>(['INT32', 'INT64', 'FIXED_LEN_BYTE_ARRAY'])(
    'reads money stored as a %s DECIMAL exactly, never through a float',
    async (decimal) => {
      const base = fixtureRows('fact_payment')[0];
      if (!base) throw new Error('fixture missing');
      const amounts = [
        '0.07',
        '2.55',
        '12.50',
        '-3.10',
        '0.00',
        decimal === 'INT32' ? '9999999.99' : '99999999.99',
      ];
      const rows = amounts.map((payment_amount, index) => ({
        ...base,
        payment_id: index + 1,
        payment_amount,
      }));

      const read_ = (await read(processedObject('fact_payment', rows, { decimal }), 'fact_payment')).flat();

      expect(read_.map((row) => row.payment_amount)).toEqual(amounts);
    },
  );

  it('keeps absent optional values absent and strings byte for byte', async () => {
    const [location] = fixtureRows('dim_location');
    if (!location) throw new Error('fixture missing');
    const row = {
      ...location,
      address_line_1: 'Flat 1\tBack\\Side\nNew Row — Café',
      address_line_2: null,
      district: null,
    };

    expect((await read(processedObject('dim_location', [row]), 'dim_location')).flat()).toEqual([row]);
  });

  it('gives the rows one row group at a time', async () => {
    const rows = Array.from({ length: 5 }, (_, index) => ({
      payment_type_id: index + 1,
      payment_type_name: `TYPE_${index + 1}`,
    }));

    const groups = await read(
      processedObject('dim_payment_type', rows, { rowGroupSize: 2 }),
      'dim_payment_type',
    );

    expect(groups.map((group) => group.length)).toEqual([2, 2, 1]);
    expect(groups.flat()).toEqual(rows);
  });

  it('reads its metadata: sources, newest last_updated and row count', async () => {
    const bytes = processedObject('dim_currency', fixtureRows('dim_currency'), {
      maxLastUpdated: '2022-11-03 14:20:49.962',
      sources: ['currency/snapshots/20241104T091502345-0123456789abcdef.jsonl'],
    });

    const parquet = await openProcessedParquet(bufferOf(bytes), tableLayout('dim_currency'), key);

    expect(parquet.metadata).toEqual({
      sources: ['currency/snapshots/20241104T091502345-0123456789abcdef.jsonl'],
      maxLastUpdated: '2022-11-03 14:20:49.962',
      rows: 3,
    });
    expect(parquet.rows).toBe(3);
  });

  it('gives the range of its natural keys over every row group from the footer statistics', async () => {
    const [order] = fixtureRows('fact_sales_order');
    if (!order) throw new Error('fixture missing');
    const rows = [40, 7, 12, 95, 33].map((sales_order_id) => ({ ...order, sales_order_id }));
    const open = (statistics: boolean) =>
      openProcessedParquet(
        bufferOf(processedObject('fact_sales_order', rows, { rowGroupSize: 2, statistics })),
        tableLayout('fact_sales_order'),
        key,
      );

    expect((await open(true)).naturalKeys).toEqual({ min: 7, max: 95 });
    expect((await open(false)).naturalKeys).toBeUndefined();
    expect(
      (
        await openProcessedParquet(
          bufferOf(processedObject('fact_sales_order', [])),
          tableLayout('fact_sales_order'),
          key,
        )
      ).naturalKeys,
    ).toBeUndefined();
  });

  it.each([
    [
      'bytes that are not Parquet',
      () => new TextEncoder().encode('{"not":"parquet"}\n'.repeat(20)),
      'not a readable',
    ],
    [
      'an object of another table',
      () => processedObject('dim_location', fixtureRows('dim_location')),
      'columns are',
    ],
    [
      'an object without the processed metadata',
      () => {
        const bytes = Buffer.from(processedObject('fact_sales_order', fixtureRows('fact_sales_order')));
        // Same Parquet, but the footer's schema version changed from "1" to "7".
        const at = bytes.indexOf('totes.schema_version');
        bytes[bytes.indexOf('1', at + 'totes.schema_version'.length)] = '7'.charCodeAt(0);
        return new Uint8Array(bytes);
      },
      'totes.schema_version',
    ],
  ])('rejects %s with a MalformedObjectError naming the object', async (_, bytes, reason) => {
    const opening = openProcessedParquet(bufferOf(bytes()), tableLayout('fact_sales_order'), key);

    await expect(opening).rejects.toThrow(MalformedObjectError);
    await expect(opening).rejects.toThrow(key);
    await expect(opening).rejects.toThrow(reason);
  });
});
