import { processedMetadata, type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { calendarRows } from '../src/mappings/calendar-rows';
import { type OutputRow, outputColumns } from '../src/output-row';
import { parquetChunks } from '../src/parquet/parquet-chunks';
import { parquetColumns } from '../src/parquet/parquet-columns';
import { tableTransforms } from '../src/table-transforms';
import { readWithDuckDb } from './duckdb-parquet';
import { expectedFactSalesOrder, totesys } from './fixtures';
import { parquetBytes } from './parquet-bytes';

type Row = Record<string, unknown>;

/** The fixture's rows of a warehouse table, through the table's own transform. */
function fixtureOutput(target: TargetTableName): Row[] {
  const transform = tableTransforms[target] as
    | { kind: 'rows'; map: (row: never) => Row }
    | { kind: 'rebuild'; build: (snapshots: never) => Row[] }
    | { kind: 'calendar' };
  if (transform.kind === 'calendar') return calendarRows('2022-11-01', '2022-11-07');
  if (transform.kind === 'rebuild') return transform.build(totesys as never);
  const input = {
    fact_sales_order: 'sales_order',
    fact_purchase_order: 'purchase_order',
    fact_payment: 'payment',
  }[target as string];
  return (totesys[(input ?? 'transaction') as 'transaction'] as never[]).map(transform.map);
}

function write(target: TargetTableName, rows: readonly Row[], rowGroupRows?: number) {
  return parquetBytes(
    parquetChunks(parquetColumns(target), [rows], {
      ...(rowGroupRows === undefined ? {} : { rowGroupRows }),
      metadata: () => processedMetadata({ sources: ['in.jsonl'], rows: rows.length }),
    }),
  );
}

const duckDbType: Record<string, string> = {
  integer: 'INTEGER',
  'numeric(10,2)': 'DECIMAL(10,2)',
  numeric: 'DECIMAL(10,2)',
  date: 'DATE',
  'time without time zone': 'TIME',
  'character varying': 'VARCHAR',
  boolean: 'BOOLEAN',
};

describe('parquetChunks', () => {
  it('writes fact_sales_order with DECIMAL(10,2), DATE, TIME and INTEGER columns that DuckDB reads exactly', async () => {
    const rows = fixtureOutput('fact_sales_order');
    const table = await readWithDuckDb(await write('fact_sales_order', rows));
    expect(table.types).toEqual({
      sales_order_id: 'INTEGER',
      created_date: 'DATE',
      created_time: 'TIME',
      last_updated_date: 'DATE',
      last_updated_time: 'TIME',
      sales_staff_id: 'INTEGER',
      counterparty_id: 'INTEGER',
      units_sold: 'INTEGER',
      unit_price: 'DECIMAL(10,2)',
      currency_id: 'INTEGER',
      design_id: 'INTEGER',
      agreed_payment_date: 'DATE',
      agreed_delivery_date: 'DATE',
      agreed_delivery_location_id: 'INTEGER',
    });
    expect(table.rows[1]).toEqual(expectedFactSalesOrder[1]);
  });

  it('writes dim_counterparty with VARCHAR columns, NULLs kept', async () => {
    const table = await readWithDuckDb(await write('dim_counterparty', fixtureOutput('dim_counterparty')));
    expect(Object.values(table.types)).toEqual(['INTEGER', ...Array(8).fill('VARCHAR')]);
    expect(table.rows[0]).toMatchObject({
      counterparty_legal_district: null,
      counterparty_legal_address_line_2: 'Flat 3',
    });
  });

  it.each(warehouseTableNames)(
    'writes %s so that DuckDB reads its SPEC types and exact values',
    async (target) => {
      const rows = fixtureOutput(target);
      const table = await readWithDuckDb(await write(target, rows));
      expect(table.types).toEqual(
        Object.fromEntries(outputColumns(target).map((column) => [column.name, duckDbType[column.pgType]])),
      );
      expect(table.rows).toEqual(rows);
      expect(table.rows.length).toBeGreaterThan(0);
    },
  );

  it('marks nullable columns OPTIONAL and the others REQUIRED', () => {
    const repetition = Object.fromEntries(
      parquetColumns('dim_transaction').map((column) => [column.name, column.element.repetition_type]),
    );
    expect(repetition).toEqual({
      transaction_id: 'REQUIRED',
      transaction_type: 'REQUIRED',
      sales_order_id: 'OPTIONAL',
      purchase_order_id: 'OPTIONAL',
    });
  });

  it('keeps every cent exact, from 0.00 to the largest numeric(10,2)', async () => {
    const prices = [
      ...Array.from(
        { length: 1000 },
        (_, cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
      ),
      '99999999.99',
      '-99999999.99',
      '-0.01',
      '1234567.89',
    ];
    const base = fixtureOutput('fact_sales_order')[0] as Row;
    const rows = prices.map((unit_price, index) => ({ ...base, sales_order_id: index + 1, unit_price }));
    const table = await readWithDuckDb(await write('fact_sales_order', rows));
    expect(table.rows.map((row) => row.unit_price)).toEqual(prices);
  });

  it('writes the key-value metadata it is given', async () => {
    const rows = fixtureOutput('dim_currency');
    const bytes = await parquetBytes(
      parquetChunks(parquetColumns('dim_currency'), [rows], {
        metadata: () =>
          processedMetadata({
            sources: ['currency/snapshots/20241104T091502345-0123456789abcdef.jsonl'],
            maxLastUpdated: '2022-11-03 14:20:49.962',
            rows: rows.length,
          }),
      }),
    );
    expect((await readWithDuckDb(bytes)).metadata).toEqual({
      'totes.sources': '["currency/snapshots/20241104T091502345-0123456789abcdef.jsonl"]',
      'totes.max_last_updated': '2022-11-03 14:20:49.962',
      'totes.schema_version': '1',
      'totes.rows': '3',
    });
  });

  it('streams: yields each row group as it is written, before the footer', async () => {
    const base = fixtureOutput('fact_payment')[0] as Row;
    const rows = Array.from({ length: 2500 }, (_, index) => ({ ...base, payment_id: index + 1 }));
    const chunks: Uint8Array[] = [];
    for await (const chunk of parquetChunks(
      parquetColumns('fact_payment'),
      [rows.slice(0, 1200), rows.slice(1200)],
      {
        rowGroupRows: 1000,
        metadata: () => ({}),
      },
    )) {
      chunks.push(chunk);
    }
    const bytes = Buffer.concat(chunks);
    const metadata = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([1000, 1000, 500]);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(Number(metadata.num_rows)).toBe(2500);
  });

  it('gives the same bytes for the same rows', async () => {
    const rows = fixtureOutput('fact_purchase_order');
    expect(
      Buffer.from(await write('fact_purchase_order', rows)).equals(await write('fact_purchase_order', rows)),
    ).toBe(true);
  });

  it('writes a valid file with no row for no rows', async () => {
    const table = await readWithDuckDb(await write('fact_sales_order', []));
    expect(table.rows).toEqual([]);
    expect(table.types.unit_price).toBe('DECIMAL(10,2)');
  });

  it('refuses a NULL in a NOT NULL column, naming the row and the column', async () => {
    const rows = fixtureOutput('dim_location').map((row, index) =>
      index === 1 ? { ...row, city: null } : row,
    );
    await expect(write('dim_location', rows)).rejects.toThrow(
      'row 2, column city: NULL in a NOT NULL column',
    );
  });

  it('refuses a price that numeric(10,2) cannot hold', async () => {
    const rows = [{ ...(fixtureOutput('fact_sales_order')[0] as Row), unit_price: '100000000.00' }];
    await expect(write('fact_sales_order', rows)).rejects.toThrow(
      /row 1, column unit_price: .*numeric\(10,2\)/,
    );
  });

  it('reads back in hyparquet (the loader) as exact decimals via toFixed(2), dates as UTC days, times as milliseconds', async () => {
    const bytes = await write('fact_sales_order', fixtureOutput('fact_sales_order'));
    const [row] = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      rowStart: 1,
      rowEnd: 2,
    });
    const read = row as OutputRow<'fact_sales_order'> & Record<string, unknown>;
    expect((read.unit_price as unknown as number).toFixed(2)).toBe('2.55');
    expect((read.created_date as unknown as Date).toISOString()).toBe('2023-12-31T00:00:00.000Z');
    expect(read.created_time).toBe(86_399_007);
  });
});
