import { describe, expect, it } from 'vitest';
import { KeyLayoutError, parseIngestKey } from '../src/index';

describe('an ingest key that is not one', () => {
  it.each([
    [
      'a snapshot whose stem is no time and hash',
      'currency/snapshots/yesterday.jsonl.zst',
      /no reference-table layout/,
    ],
    [
      'a snapshot of an event table',
      'sales_order/snapshots/20241104T091502345-0123456789abcdef.jsonl.zst',
      /no event-table layout/,
    ],
    ['changes with a third part', 'sales_order/changes/a_b_c.jsonl.zst', /no event-table layout/],
    [
      'changes whose watermark is not one',
      'sales_order/changes/00000000T000000000-0000000000_soon.jsonl',
      /not a watermark: "soon"/,
    ],
    [
      'a rescan whose run is no time',
      'sales_order/sweep/today/0000000001-0000000050.jsonl.zst',
      /no event-table layout/,
    ],
    [
      'a rescan whose ids are not a range',
      'sales_order/full/20241104T091502345/1-50.jsonl.zst',
      /no event-table layout/,
    ],
    [
      'a rescan of a reference table',
      'currency/initial/20241104T091502345/0000000001-0000000050.jsonl.zst',
      /no reference-table layout/,
    ],
    [
      'an object of no known compression',
      'sales_order/changes/x.csv',
      /ingest objects end in \.jsonl\.zst, \.jsonl\.gz, \.jsonl/,
    ],
    ['an object of no source table', 'orders/changes/x.jsonl.zst', /does not start with a source table/],
  ])('is refused with a KeyLayoutError: %s', (_, key, reason) => {
    expect(() => parseIngestKey(key)).toThrow(KeyLayoutError);
    expect(() => parseIngestKey(key)).toThrow(reason);
  });

  it('reads a first change object, from the start of the table, and a rescan range', () => {
    expect(
      parseIngestKey(
        'sales_order/changes/00000000T000000000-0000000000_20241104T091502345-0000000007.jsonl.gz',
      ),
    ).toEqual({
      kind: 'changes',
      table: 'sales_order',
      after: null,
      through: { lastUpdated: '2024-11-04 09:15:02.345', id: 7 },
    });
    expect(parseIngestKey('payment/sweep/20241104T091502345/0000000001-0000000050.jsonl')).toEqual({
      kind: 'rescan',
      table: 'payment',
      reason: 'sweep',
      run: '20241104T091502345',
      firstId: 1,
      lastId: 50,
    });
  });
});
