import { describe, expect, it } from 'vitest';
import { nearestName } from '../src/nearest-name';

const names = ['sales_order', 'purchase_order', 'fact_sales_order', 'dim_staff', 'staff', 'payment'];

describe('nearestName', () => {
  it.each([
    ['sales_orders', 'sales_order'],
    ['salesorder', 'sales_order'],
    ['Dim_Staf', 'dim_staff'],
    ['fact_sales', 'fact_sales_order'],
    ['paymnet', 'payment'],
  ])('suggests %s → %s', (given, expected) => {
    expect(nearestName(given, names)).toBe(expected);
  });

  it('suggests nothing for a name far from every one', () => {
    expect(nearestName('warehouse', names)).toBeUndefined();
  });

  it('suggests nothing when the name begins several', () => {
    expect(nearestName('dim', ['dim_staff', 'dim_date'])).toBeUndefined();
  });
});
