import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column, columnSpecs, columnsOf, SchemaDeclarationError, totesysTables } from '../src/index';

describe('columnsOf', () => {
  it('lists the columns in declared order', () => {
    const columns = columnsOf(totesysTables.currency);

    expect(columns).toEqual(['currency_id', 'currency_code', 'created_at', 'last_updated']);
  });
});

describe('columnSpecs', () => {
  it('gives each column its PostgreSQL type, nullability and default', () => {
    const specs = columnSpecs(totesysTables.transaction);

    expect(specs).toEqual([
      { name: 'transaction_id', pgType: 'integer', nullable: false, hasDefault: true },
      { name: 'transaction_type', pgType: '"TransactionType"', nullable: false, hasDefault: false },
      { name: 'sales_order_id', pgType: 'integer', nullable: true, hasDefault: false },
      { name: 'purchase_order_id', pgType: 'integer', nullable: true, hasDefault: false },
      { name: 'created_at', pgType: 'timestamp(3) without time zone', nullable: false, hasDefault: true },
      { name: 'last_updated', pgType: 'timestamp(3) without time zone', nullable: false, hasDefault: false },
    ]);
  });

  it('keeps the type of a column refined after it was built', () => {
    const table = z.object({ code: column.varchar(3).min(3) });

    const specs = columnSpecs(table);

    expect(specs).toEqual([
      { name: 'code', pgType: 'character varying(3)', nullable: false, hasDefault: false },
    ]);
  });

  it('refuses a column declared without a column builder, naming it', () => {
    const table = z.object({ note: z.string() });

    expect(() => columnSpecs(table)).toThrow(SchemaDeclarationError);
    expect(() => columnSpecs(table)).toThrow(/"note"/);
  });
});

describe('column.withDefault', () => {
  it('leaves the column it was given without a default', () => {
    const plain = column.timestamp3();

    column.withDefault(plain);

    expect(columnSpecs(z.object({ plain }))[0]?.hasDefault).toBe(false);
  });
});
