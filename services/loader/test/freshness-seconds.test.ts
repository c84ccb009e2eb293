import { describe, expect, it } from 'vitest';
import { freshnessSeconds } from '../src/merge/freshness';

describe('freshness in seconds', () => {
  it('is the time since the newest loaded source row changed, reading its timestamp as UTC', () => {
    expect(freshnessSeconds('2024-11-04 14:20:52.186', new Date('2024-11-04T14:21:02.686Z'))).toBe(10.5);
  });

  it('is never negative, even when the source clock runs ahead', () => {
    expect(freshnessSeconds('2024-11-04 14:20:52.186', new Date('2024-11-04T14:20:00.000Z'))).toBe(0);
  });
});
