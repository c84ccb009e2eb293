import { describe, expect, it } from 'vitest';
import { commitHorizon } from '../src/modes/commit-horizon';

const probe = {
  nowLessMargin: '2024-11-04 10:00:00.000',
  nowLessLag: '2024-11-04 09:55:00.000',
  oldestWriterLessMargin: null,
  seesAllSessions: true,
};

describe('commitHorizon', () => {
  it('is now less the margin when no transaction is writing', () => {
    expect(commitHorizon(probe)).toBe('2024-11-04 10:00:00.000');
  });

  it('stops before the start of the oldest writing transaction', () => {
    expect(commitHorizon({ ...probe, oldestWriterLessMargin: '2024-11-04 09:59:00.123' })).toBe(
      '2024-11-04 09:59:00.123',
    );
  });

  it('falls back to the lag when other sessions are hidden from it', () => {
    expect(commitHorizon({ ...probe, seesAllSessions: false })).toBe('2024-11-04 09:55:00.000');
  });

  it('still heeds a writer it can see when other sessions are hidden', () => {
    expect(
      commitHorizon({ ...probe, seesAllSessions: false, oldestWriterLessMargin: '2024-11-04 09:50:00.000' }),
    ).toBe('2024-11-04 09:50:00.000');
  });
});
