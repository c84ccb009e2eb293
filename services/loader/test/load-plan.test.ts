import { PipelineError } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../src/plan/load-plan';

describe('the load plan of a processed object', () => {
  it('appends the rows of a fact object', () => {
    const key =
      'fact_payment/g1/payment/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.parquet';

    expect(loadPlan('fact_payment', key)).toEqual({ kind: 'append-facts' });
  });

  it('guards a dimension rebuilt from snapshots with their versions and its generation', () => {
    const key =
      'dim_staff/g3/staff=20241104T091502345-0123456789abcdef/department=20241101T000000000-fedcba9876543210.parquet';

    expect(loadPlan('dim_staff', key)).toEqual({
      kind: 'rebuild-dimension',
      version: {
        versions: {
          staff: '20241104T091502345-0123456789abcdef',
          department: '20241101T000000000-fedcba9876543210',
        },
        generation: 3,
      },
    });
  });

  it('upserts dimension rows from a change batch row by row', () => {
    const key = 'dim_transaction/g1/transaction/sweep/20241104T000000000/0000000001-0000004096.parquet';

    expect(loadPlan('dim_transaction', key)).toEqual({ kind: 'upsert-rows' });
  });

  it('upserts calendar days', () => {
    expect(loadPlan('dim_date', 'dim_date/g1/calendar/20200101-20301231.parquet')).toEqual({
      kind: 'calendar',
    });
  });

  it.each([
    ['a key outside the layout', 'fact_payment/whatever.parquet'],
    ['another table’s object', 'dim_date/g1/calendar/20200101-20301231.parquet'],
    ['a fact rebuilt whole', 'fact_payment/g1/payment=20241104T091502345-0123456789abcdef.parquet'],
  ])('refuses %s as malformed, so it is not retried for ever', (_, key) => {
    const refusal = (() => {
      try {
        loadPlan('fact_payment', key);
      } catch (error) {
        return error;
      }
    })();
    expect(refusal).toBeInstanceOf(PipelineError);
    expect(refusal).toMatchObject({ retryable: false, objectKey: key });
    expect((refusal as Error).message).toContain(key);
  });
});
