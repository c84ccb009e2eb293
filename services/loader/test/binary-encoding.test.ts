import { describe, expect, it } from 'vitest';
import { binaryField } from '../src/copy/binary-field';
import { CopyBinaryWriter } from '../src/copy/copy-binary-writer';
import { decimalText } from '../src/copy/decimal-text';
import { numericBinary } from '../src/copy/numeric-binary';

function bytesOf(write: (writer: CopyBinaryWriter) => void): string {
  const writer = new CopyBinaryWriter(16);
  write(writer);
  return writer.take()?.toString('hex') ?? '';
}

describe('binary COPY encoding', () => {
  it.each([
    [1250n, 2, { weight: 0, sign: 0, dscale: 2, digits: [12, 5000] }],
    [7n, 2, { weight: -1, sign: 0, dscale: 2, digits: [700] }],
    [-310n, 2, { weight: 0, sign: 0x4000, dscale: 2, digits: [3, 1000] }],
    [9_999_999_999n, 2, { weight: 1, sign: 0, dscale: 2, digits: [9999, 9999, 9900] }],
    [100_000_000n, 2, { weight: 1, sign: 0, dscale: 2, digits: [100] }],
    [1n, 5, { weight: -2, sign: 0, dscale: 5, digits: [1000] }],
    [0n, 2, { weight: 0, sign: 0, dscale: 2, digits: [] }],
  ])('writes the decimal %s at scale %i as base-10000 digits', (unscaled, scale, expected) => {
    expect(numericBinary(unscaled, scale)).toEqual(expected);
  });

  it.each([
    [1250n, 2, '12.50'],
    [7, 2, '0.07'],
    [-5, 2, '-0.05'],
    [123_456_789_012_345_678_901_234_567_890n, 2, '1234567890123456789012345678.90'],
    [42n, 0, '42'],
  ])('spells the unscaled decimal %s at scale %i as %s', (unscaled, scale, text) => {
    expect(decimalText(unscaled, scale)).toBe(text);
  });

  it('reads a big-endian two’s-complement DECIMAL byte array exactly', () => {
    expect(decimalText(new Uint8Array([0x00, 0x04, 0xe2]), 2)).toBe('12.50');
    expect(decimalText(new Uint8Array([0xff, 0xfe, 0xca]), 2)).toBe('-3.10');
  });

  it('writes dates as days since 2000-01-01 and times as microseconds of the day', () => {
    expect(bytesOf((w) => binaryField('date')(w, 10_957))).toBe('0000000400000000');
    expect(bytesOf((w) => binaryField('date')(w, 20_031))).toBe(
      `00000004${(20_031 - 10_957).toString(16).padStart(8, '0')}`,
    );
    expect(bytesOf((w) => binaryField('time')(w, 86_399_999))).toBe(
      `00000008${(86_399_999_000).toString(16).padStart(16, '0')}`,
    );
  });

  it('writes NULL as length −1 and strings as their UTF-8 bytes', () => {
    expect(bytesOf((w) => binaryField('string')(w, null))).toBe('ffffffff');
    expect(bytesOf((w) => binaryField('string')(w, 'é'))).toBe('00000002c3a9');
    expect(bytesOf((w) => binaryField('string')(w, new Uint8Array([0x61])))).toBe('0000000161');
  });

  it('grows past its chunk size and hands each chunk out once', () => {
    const writer = new CopyBinaryWriter(4);
    writer.int32(1);
    writer.int32(2);

    expect(writer.take()?.length).toBe(16);
    expect(writer.take()).toBeUndefined();
  });
});
