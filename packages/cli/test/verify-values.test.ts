import type { ColumnSpec } from '@totes/schema';
import { describe, expect, it } from 'vitest';
import { rowMatcher, sourceLineParser } from '../src/verify/canonical-row';
import { copyFields, escapeCopy, unescapeCopy } from '../src/verify/copy-lines';
import { differs, type TableDifference } from '../src/verify/table-difference';

const column = (name: string, pgType: string): ColumnSpec => ({
  name,
  pgType,
  nullable: true,
  hasDefault: false,
});

describe('COPY text values', () => {
  it('escape backslashes, tabs, newlines and carriage returns, and nothing else', () => {
    expect(escapeCopy('plain, "quoted" ü')).toBe('plain, "quoted" ü');
    expect(escapeCopy('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
  });

  it('unescape back to the value, other escapes included', () => {
    expect(unescapeCopy('a\\\\b\\tc\\nd\\re')).toBe('a\\b\tc\nd\re');
    expect(unescapeCopy('\\b\\f\\v\\x')).toBe('\b\f\vx');
    expect(unescapeCopy('no escapes')).toBe('no escapes');
  });

  it('split a line into fields, null for \\N', () => {
    expect(copyFields('1\t\\N\tline\\none')).toEqual(['1', null, 'line\none']);
  });
});

describe('a source line as the extractor writes it', () => {
  const parse = sourceLineParser([
    column('id', 'integer'),
    column('active', 'boolean'),
    column('created_at', 'timestamp(3) without time zone'),
    column('name', 'text'),
    column('note', 'text'),
  ]);

  it('has integers as numbers, booleans as booleans and text as text', () => {
    expect(parse('7\tt\t2024-11-04 09:15:00.123\tBags\tnone')).toEqual({
      id: 7,
      active: true,
      created_at: '2024-11-04 09:15:00.123',
      name: 'Bags',
      note: 'none',
    });
    expect(parse('7\tf\t2024-11-04 09:15:00.123\tBags\tnone').active).toBe(false);
  });

  it.each(['0', '-12', '007', '', '-', '+5', ' 5', '1e3', '12345678901234567', 'x'])(
    'reads the integer %j as Number does',
    (text) => {
      expect(parse(`${text}\tt\t\\N\tx\ty`).id).toBe(Number(text));
    },
  );

  it('pads timestamps to three fraction digits', () => {
    expect(parse('1\tt\t2024-11-04 09:15:00\tx\ty').created_at).toBe('2024-11-04 09:15:00.000');
    expect(parse('1\tt\t2024-11-04 09:15:00.1\tx\ty').created_at).toBe('2024-11-04 09:15:00.100');
    expect(parse('1\tt\t2024-11-04 09:15:00.12\tx\ty').created_at).toBe('2024-11-04 09:15:00.120');
  });

  it('undoes escapes in the fields that hold one, whatever their type', () => {
    expect(parse('1\\0\tt\t2024-11-04 09:15:00.1\ta\\\\b\\tc\tno escape')).toEqual({
      id: 10,
      active: true,
      created_at: '2024-11-04 09:15:00.100',
      name: 'a\\b\tc',
      note: 'no escape',
    });
  });

  it('reads \\N and missing fields as null, and undoes escapes', () => {
    expect(parse('1\t\\N\t\\N\ttab\\there')).toEqual({
      id: 1,
      active: null,
      created_at: null,
      name: 'tab\there',
      note: null,
    });
  });
});

describe('a mapped row against a warehouse line', () => {
  const matches = rowMatcher([
    column('sales_record_id', 'integer'),
    column('created_time', 'time without time zone'),
    column('agreed', 'boolean'),
    column('design_name', 'character varying'),
    column('unit_price', 'numeric(10,2)'),
  ]);
  const row = {
    sales_record_id: 1,
    created_time: '14:20:52.100',
    agreed: true,
    design_name: 'Bag',
    unit_price: 2.5,
  };

  it('matches the values as PostgreSQL prints them, tab-separated, from the given position', () => {
    expect(matches(row, '1\t14:20:52.1\tt\tBag\t2.5', 0)).toBe(true);
    expect(matches(row, '42\t1\t14:20:52.1\tt\tBag\t2.5', 3)).toBe(true);
  });

  it.each([
    ['a different integer', '2\t14:20:52.1\tt\tBag\t2.5'],
    ['a different time', '1\t14:20:52.12\tt\tBag\t2.5'],
    ['a different boolean', '1\t14:20:52.1\tf\tBag\t2.5'],
    ['a longer text', '1\t14:20:52.1\tt\tBags\t2.5'],
    ['a shorter text', '1\t14:20:52.1\tt\tBa\t2.5'],
    ['a null for a value', '1\t14:20:52.1\tt\t\\N\t2.5'],
    ['a field too many', '1\t14:20:52.1\tt\tBag\t2.5\t3'],
    ['a field too few', '1\t14:20:52.1\tt\tBag'],
  ])('tells %s apart', (_, line) => {
    expect(matches(row, line, 0)).toBe(false);
  });

  it('trims a time fraction of zeros to nothing, and leaves other times alone', () => {
    expect(matches({ created_time: '14:20:52.000', agreed: false }, '\\N\t14:20:52\tf\t\\N\t\\N', 0)).toBe(
      true,
    );
    expect(matches({ created_time: '14:20:50' }, '\\N\t14:20:50\t\\N\t\\N\t\\N', 0)).toBe(true);
    expect(matches({ created_time: '14:20:52.125' }, '\\N\t14:20:52.125\t\\N\t\\N\t\\N', 0)).toBe(true);
    expect(matches({ created_time: '14:20:52.000' }, '\\N\t14:20:52.000\t\\N\t\\N\t\\N', 0)).toBe(false);
  });

  it('undoes COPY escapes in text, and does not take an escape for the text it spells', () => {
    expect(matches({ design_name: 'two\nlines' }, '\\N\t\\N\t\\N\ttwo\\nlines\t\\N', 0)).toBe(true);
    expect(matches({ design_name: 'back\\slash' }, '\\N\t\\N\t\\N\tback\\\\slash\t\\N', 0)).toBe(true);
    // The field `a\\b` holds `a\b`, with one backslash: the value `a\\b`, with two, is another.
    expect(matches({ design_name: 'a\\\\b' }, '\\N\t\\N\t\\N\ta\\\\b\t\\N', 0)).toBe(false);
    expect(matches({ design_name: '\\N' }, '\\N\t\\N\t\\N\t\\N\t\\N', 0)).toBe(false);
  });
});

describe('a table difference', () => {
  const none: TableDifference = {
    table: 'dim_staff',
    expectedRows: 20,
    warehouseRows: 20,
    missing: 0,
    extra: 0,
    different: 0,
    duplicateVersions: 0,
    samples: { missing: [], extra: [], different: [], duplicateVersions: [] },
  };

  it('is none when every count is zero', () => {
    expect(differs(none)).toBe(false);
  });

  it.each(['missing', 'extra', 'different', 'duplicateVersions'] as const)('is one with a row %s', (kind) => {
    expect(differs({ ...none, [kind]: 1 })).toBe(true);
  });

  it('is one when the table could not be compared', () => {
    expect(differs({ ...none, error: 'connection refused' })).toBe(true);
  });
});
