import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { column, columnSpecs, SchemaDeclarationError } from '../src/index';

describe('a column with a default', () => {
  it('keeps its PostgreSQL type and is marked as filled in by the database', () => {
    const id = column.withDefault(column.integer());
    expect(columnSpecs(z.object({ id }))).toEqual([
      { name: 'id', pgType: 'integer', nullable: false, hasDefault: true },
    ]);
  });

  it('can only be made from a column builder, and says so', () => {
    expect(() => column.withDefault(z.number())).toThrow(SchemaDeclarationError);
    expect(() => column.withDefault(z.number())).toThrow(/expects a column made by a `column` builder/);
  });
});
