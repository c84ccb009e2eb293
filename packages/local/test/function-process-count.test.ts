import { describe, expect, it } from 'vitest';
import { functionProcessCount } from '../src/stack-settings';

describe('TOTES_FUNCTION_PROCESSES', () => {
  it('runs the functions in the stack’s own process unless set', () => {
    expect(functionProcessCount({})).toBe(0);
    expect(functionProcessCount({ TOTES_FUNCTION_PROCESSES: '' })).toBe(0);
  });

  it('takes a whole number from 0 to 64', () => {
    expect(functionProcessCount({ TOTES_FUNCTION_PROCESSES: '0' })).toBe(0);
    expect(functionProcessCount({ TOTES_FUNCTION_PROCESSES: '4' })).toBe(4);
    expect(functionProcessCount({ TOTES_FUNCTION_PROCESSES: '64' })).toBe(64);
  });

  it('refuses anything else, naming the variable and the value', () => {
    for (const value of ['-1', '2.5', '65', 'many']) {
      expect(() => functionProcessCount({ TOTES_FUNCTION_PROCESSES: value })).toThrow(
        `TOTES_FUNCTION_PROCESSES must be a whole number from 0 to 64, not "${value}"`,
      );
    }
  });
});
