import { describe, expect, it } from 'vitest';
import { copyTextEncoder } from '../src/copy-text-encoder';

describe('copyTextEncoder', () => {
  const encode = copyTextEncoder(['id', 'name', 'note', 'paid']);

  it('writes the columns in the order given, tab-separated, one line per row', () => {
    expect(encode({ paid: true, note: 'x', name: 'Leds', id: 4 })).toBe('4\tLeds\tx\tt\n');
  });

  it('writes NULL as \\N and escapes backslashes, tabs and line breaks', () => {
    expect(encode({ id: 1, name: 'a\\b\tc\nd\re', note: null, paid: false })).toBe(
      '1\ta\\\\b\\tc\\nd\\re\t\\N\tf\n',
    );
  });

  it('refuses a row that lacks a column', () => {
    expect(() => encode({ id: 1, name: 'x', paid: true })).toThrow(/column note/);
  });
});
