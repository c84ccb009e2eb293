import { columnsOf, totesysTables, warehouseRowSchemas as warehouseSchemas } from '@totes/schema';
import { describe, expect, it } from 'vitest';
import {
  sourceTableNames,
  sourceTables,
  type TargetTableName,
  targetsOf,
  warehouseTableNames,
  warehouseTables,
} from '../src/index';

describe('the topology', () => {
  it('declares exactly the totesys tables of the schema, and never _prisma_migrations', () => {
    expect([...sourceTableNames].sort()).toEqual(Object.keys(totesysTables).sort());
    expect(sourceTableNames).not.toContain('_prisma_migrations');
  });

  it('declares exactly the warehouse tables of the schema', () => {
    expect([...warehouseTableNames].sort()).toEqual(Object.keys(warehouseSchemas).sort());
  });

  it.each(sourceTableNames)('keys source table %s by one of its integer columns', (table) => {
    expect(columnsOf(totesysTables[table])).toContain(sourceTables[table].key);
    expect(sourceTables[table].key).toBe(`${table}_id`);
  });

  it.each(sourceTableNames)('feeds source table %s into at least one warehouse table', (table) => {
    expect(targetsOf(table).length).toBeGreaterThan(0);
  });

  it.each(warehouseTableNames)(
    'builds %s from declared inputs and keys it by one of its columns',
    (target) => {
      const spec: (typeof warehouseTables)[typeof target] = warehouseTables[target];
      for (const input of spec.inputs) expect(sourceTableNames).toContain(input);
      const columns = columnsOf(warehouseSchemas[target]);
      expect(columns).toContain(spec.naturalKey);
      if (spec.kind === 'fact') {
        expect(columns[0]).toBe('recordId' in spec ? spec.recordId : undefined);
        expect(spec.inputs).toHaveLength(1);
      }
    },
  );

  it.each(warehouseTableNames.filter((target) => warehouseTables[target].kind === 'fact'))(
    'points every reference of %s at a dimension column that exists',
    (fact) => {
      const spec = warehouseTables[fact];
      const references: Readonly<Record<string, TargetTableName>> =
        'references' in spec ? spec.references : {};
      const columns: readonly string[] = columnsOf(warehouseSchemas[fact]);
      for (const [column, dim] of Object.entries(references)) {
        expect(columns).toContain(column);
        expect(warehouseTables[dim].kind).toBe('dim');
      }
      const dateColumns = columns.filter((column) => column.endsWith('_date'));
      expect(dateColumns.every((column) => column in references)).toBe(true);
    },
  );
});
