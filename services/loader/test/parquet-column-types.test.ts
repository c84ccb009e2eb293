import { MalformedObjectError, type TargetTableName } from '@totes/pipeline';
import { type ColumnSource, parquetWriteBuffer, type SchemaElement } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { openProcessedParquet } from '../src/copy/processed-parquet';
import { tableLayout } from '../src/statements/table-layout';
import { processedKeyValues, processedSchema } from './processed-object';

const key = 'dim_location/g1/address/snapshots/20241104T091502345-0123456789abcdef.parquet';

/** Values the writer takes for a column of a given physical type, one row. */
function sampleValue(element: SchemaElement): unknown {
  switch (element.type) {
    case 'BOOLEAN':
      return true;
    case 'INT64':
      return 7n;
    case 'DOUBLE':
      return 1.5;
    case 'BYTE_ARRAY':
      return 'text';
    default:
      return 7;
  }
}

/**
 * A one-row object of `table` in which the column `name` is stored as `replacement` instead of
 * the type the transformer writes; every other column is as the transformer writes it.
 */
function objectWith(
  table: TargetTableName,
  name: string,
  replacement: Omit<SchemaElement, 'name'>,
): ArrayBuffer {
  const schema = processedSchema(table).map((element) =>
    element.name === name ? { ...replacement, name, repetition_type: 'OPTIONAL' as const } : element,
  );
  const columnData: ColumnSource[] = schema.slice(1).map((element) => ({
    name: element.name,
    data: [sampleValue(element)],
  }));
  return parquetWriteBuffer({ columnData, schema, kvMetadata: processedKeyValues(1, {}) });
}

describe('a processed object whose column types are not the warehouse columns', () => {
  it.each<[TargetTableName, string, Omit<SchemaElement, 'name'>, RegExp]>([
    ['dim_location', 'location_id', { type: 'INT64' }, /location_id is INT64, expected integer/],
    ['dim_location', 'city', { type: 'INT32' }, /city is INT32, expected string/],
    ['fact_payment', 'payment_amount', { type: 'DOUBLE' }, /payment_amount is DOUBLE, expected decimal/],
    ['fact_payment', 'created_date', { type: 'INT32' }, /created_date is INT32, expected date/],
    ['fact_payment', 'created_time', { type: 'INT64' }, /created_time is INT64, expected time/],
    ['fact_payment', 'paid', { type: 'INT32' }, /paid is INT32, expected boolean/],
  ])(
    'refuses %s with %s stored otherwise, naming the column and both types',
    async (table, column, type, reason) => {
      const opened = openProcessedParquet(objectWith(table, column, type), tableLayout(table), key);

      await expect(opened).rejects.toBeInstanceOf(MalformedObjectError);
      await expect(opened).rejects.toThrow(reason);
    },
  );

  it('takes the scale of a DECIMAL annotated by its logical type alone', async () => {
    const table = 'fact_payment';
    const decimal = { type: 'INT64', logical_type: { type: 'DECIMAL', precision: 10, scale: 2 } } as const;
    const opened = await openProcessedParquet(
      objectWith(table, 'payment_amount', decimal),
      tableLayout(table),
      key,
    );

    expect(opened).toBeDefined();
  });
});
