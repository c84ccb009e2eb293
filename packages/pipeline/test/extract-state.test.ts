import { describe, expect, it } from 'vitest';
import { ExtractState, extractionStatePrefix, initialState, stateKey } from '../src/index';

describe('the extraction state', () => {
  it('keeps each table’s state under the prefix no subscription matches', () => {
    expect(stateKey('sales_order')).toBe(`${extractionStatePrefix}sales_order.json`);
    expect(extractionStatePrefix.startsWith('_state/')).toBe(true);
  });

  it('reads an empty object as the state of a table never extracted', () => {
    expect(ExtractState.parse({})).toEqual(initialState);
  });

  it('refuses a sweep run that is not a compact timestamp', () => {
    const sweep = { bucketRows: 1000, hashes: [], run: '2024-11-04', afterBucket: 0 };
    expect(ExtractState.safeParse({ sweep }).success).toBe(false);
  });
});
