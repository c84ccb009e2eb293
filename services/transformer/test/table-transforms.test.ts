import { sourceTables, warehouseTableNames, warehouseTables } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { outputColumns } from '../src/output-row';
import { parquetColumns } from '../src/parquet/parquet-columns';
import { tableTransforms } from '../src/table-transforms';

describe('tableTransforms', () => {
  it.each(warehouseTableNames)('matches the lineage the topology declares for %s', (target) => {
    const inputs = warehouseTables[target].inputs as readonly (keyof typeof sourceTables)[];
    const kinds = new Set(inputs.map((input) => sourceTables[input].kind));
    const expected = inputs.length === 0 ? 'calendar' : kinds.has('event') ? 'rows' : 'rebuild';
    expect(tableTransforms[target].kind).toBe(expected);
    if (expected === 'rows') expect(inputs).toHaveLength(1);
  });

  it.each(warehouseTableNames)(
    'writes every column of %s but a fact record id, each with a Parquet type',
    (target) => {
      const recordId = (warehouseTables[target] as { recordId?: string }).recordId;
      const names = parquetColumns(target).map((column) => column.name);
      expect(names).toEqual(outputColumns(target).map((column) => column.name));
      if (recordId) expect(names).not.toContain(recordId);
    },
  );
});
