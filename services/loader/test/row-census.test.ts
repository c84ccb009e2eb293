import { describe, expect, it } from 'vitest';
import { RowCensus } from '../src/merge/row-census';
import { tableLayout } from '../src/statements/table-layout';

const layout = tableLayout('fact_payment');
const column = (name: string) => layout.columns.findIndex((c) => c.name === name);

function columns(rows: Record<string, number>[]): unknown[][] {
  return layout.columns.map((c) => rows.map((row) => row[c.name] ?? 0));
}

describe('the census of a fact object', () => {
  it('keeps the distinct keys each dimension is referenced by, days from every date column', () => {
    const census = new RowCensus(layout);

    census.observe(
      columns([
        {
          payment_id: 1,
          created_date: 20_031,
          last_updated_date: 20_032,
          payment_date: 20_031,
          counterparty_id: 4,
        },
        {
          payment_id: 2,
          created_date: 20_031,
          last_updated_date: 20_031,
          payment_date: 20_040,
          counterparty_id: 4,
        },
      ]),
      0,
      2,
    );

    const result = census.result();
    expect(result.rows).toBe(2);
    expect(result.references.get('dim_date')).toEqual({ kind: 'keys', keys: [20_031, 20_032, 20_040] });
    expect(result.references.get('dim_counterparty')).toEqual({ kind: 'keys', keys: [4] });
    expect(result.repeatedNaturalKey).toBe(false);
    expect(result.naturalKeys).toEqual({ min: 1, max: 2 });
    expect(column('payment_id')).toBe(0);
  });

  it('gives the range of the natural keys across batches, and none without rows', () => {
    const census = new RowCensus(layout);
    expect(census.result().naturalKeys).toBeUndefined();

    census.observe(columns([{ payment_id: 70 }, { payment_id: 9 }]), 0, 2);
    census.observe(columns([{ payment_id: 1 }, { payment_id: 71 }, { payment_id: 8 }]), 1, 3);

    expect(census.result()).toMatchObject({ rows: 4, naturalKeys: { min: 8, max: 71 } });
  });

  it('notices a natural key that occurs twice, across batches', () => {
    const census = new RowCensus(layout);

    census.observe(columns([{ payment_id: 70_000 }]), 0, 1);
    census.observe(columns([{ payment_id: 5 }, { payment_id: 70_000 }]), 0, 2);

    expect(census.result().repeatedNaturalKey).toBe(true);
  });

  it('gives up on a dimension with more distinct keys than its limit, and on keys spread too far', () => {
    const census = new RowCensus(layout, { keysPerDimension: 2, bitmapPages: 1 });

    census.observe(
      columns([
        { payment_id: 1, transaction_id: 1 },
        { payment_id: 1_000_000, transaction_id: 2 },
        { payment_id: 3, transaction_id: 3 },
      ]),
      0,
      3,
    );

    const result = census.result();
    expect(result.references.get('dim_transaction')).toEqual({ kind: 'too-many' });
    expect(result.repeatedNaturalKey).toBeUndefined();
    expect(result.naturalKeys).toEqual({ min: 1, max: 1_000_000 });
  });
});
