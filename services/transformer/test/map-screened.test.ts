import { describe, expect, it } from 'vitest';
import { mapScreened } from '../src/map-screened';
import { mapDimCurrency } from '../src/mappings/map-dim-currency';
import { mapFactSalesOrder } from '../src/mappings/map-fact-sales-order';
import { fixtureRow } from './fixtures';

const key = 'currency/snapshots/20241104T091502345-0123456789abcdef.jsonl.zst';
const gbp = fixtureRow('currency', 0);
const usd = fixtureRow('currency', 1);
const mapOne = (row: typeof gbp) => mapDimCurrency([row])[0];

describe('mapScreened', () => {
  it('maps the rows that keep their rules and quarantines the one that breaks one, with its line', () => {
    const batch = {
      rows: [gbp, { ...usd, currency_code: 'us$' }],
      lines: [4, 7],
      quarantined: [],
    };
    const screened = mapScreened(batch, mapOne, { key, table: 'currency' });
    expect(screened.rows).toEqual([{ currency_id: 1, currency_code: 'GBP', currency_name: 'British Pound' }]);
    expect(screened.lines).toEqual([4]);
    expect(screened.quarantined).toEqual([
      {
        sourceTable: 'currency',
        sourceId: usd.currency_id,
        objectKey: key,
        line: 7,
        column: 'currency_code',
        value: '"us$"',
        reason: expect.stringContaining('not three capital letters'),
      },
    ]);
  });

  it('keeps the rows the schema already quarantined', () => {
    const earlier = {
      sourceTable: 'currency' as const,
      sourceId: 9,
      objectKey: key,
      line: 1,
      column: 'currency_code',
      value: 'null',
      reason: 'Invalid input',
    };
    const screened = mapScreened({ rows: [gbp], lines: [2], quarantined: [earlier] }, mapOne, {
      key,
      table: 'currency',
    });
    expect(screened.quarantined).toEqual([earlier]);
    expect(screened.rows).toHaveLength(1);
  });

  it('throws what is not a broken rule: a defect must not hide in the quarantine', () => {
    const broken = () => {
      throw new TypeError('a bug');
    };
    expect(() =>
      mapScreened({ rows: [gbp], lines: [1], quarantined: [] }, broken, { key, table: 'currency' }),
    ).toThrow(TypeError);
  });

  it('maps a whole fact batch unchanged when every row is good', () => {
    const order = fixtureRow('sales_order', 0);
    const screened = mapScreened({ rows: [order], lines: [1], quarantined: [] }, mapFactSalesOrder, {
      key: 'sales_order/changes/x.jsonl.zst',
      table: 'sales_order',
    });
    expect(screened).toEqual({ rows: [mapFactSalesOrder(order)], lines: [1], quarantined: [] });
  });
});
