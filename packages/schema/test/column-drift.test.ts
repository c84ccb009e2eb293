import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../src/index';
import { columnDrift } from './column-drift';

const declared: ColumnSpec[] = [
  { name: 'staff_id', pgType: 'integer', nullable: false, hasDefault: true },
  { name: 'first_name', pgType: 'text', nullable: false, hasDefault: false },
  { name: 'email_address', pgType: 'text', nullable: false, hasDefault: false },
];

describe('columnDrift', () => {
  it('finds nothing when the database matches the schema', () => {
    expect(columnDrift('staff', declared, declared)).toEqual([]);
  });

  it('names the table and column whose nullability differs', () => {
    const actual = declared.map((column) =>
      column.name === 'email_address' ? { ...column, nullable: true } : column,
    );

    const drift = columnDrift('staff', declared, actual);

    expect(drift).toEqual([
      'staff.email_address: the schema declares text NOT NULL, the database has text NULL',
    ]);
  });

  it('reports a changed type, a lost default, a moved, a missing and an extra column', () => {
    const actual: ColumnSpec[] = [
      { name: 'staff_id', pgType: 'bigint', nullable: false, hasDefault: false },
      { name: 'email_address', pgType: 'text', nullable: false, hasDefault: false },
      { name: 'nickname', pgType: 'text', nullable: true, hasDefault: false },
    ];

    const drift = columnDrift('staff', declared, actual);

    expect(drift).toEqual([
      'staff.staff_id: the schema declares integer NOT NULL DEFAULT, the database has bigint NOT NULL',
      'staff.first_name: declared in the schema, missing from the database',
      'staff.email_address: column 3 in the schema, column 2 in the database',
      'staff.nickname: in the database, not declared in the schema',
    ]);
  });

  it('says so when the table is missing altogether', () => {
    expect(columnDrift('staff', declared, [])).toEqual(['staff: the table does not exist in the database']);
  });
});
