import { describe, expect, it } from 'vitest';
import { observationTime } from '../src/modes/observation-clock';

describe('the observation time of a read', () => {
  it('is the clock’s time, as a compact timestamp in UTC', () => {
    expect(observationTime(() => new Date('2030-01-02T03:04:05.678Z'))).toBe('20300102T030405678');
  });

  it('never ties or goes back within a process, even when the clock does', () => {
    const stuck = () => new Date('2031-05-06T07:08:09.010Z');

    const times = [observationTime(stuck), observationTime(stuck), observationTime(stuck)];

    expect(times).toEqual(['20310506T070809010', '20310506T070809011', '20310506T070809012']);
    expect(observationTime(() => new Date('2031-05-06T07:08:09.000Z'))).toBe('20310506T070809013');
  });
});
