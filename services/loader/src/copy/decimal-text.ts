/**
 * The exact decimal text of a Parquet DECIMAL from its unscaled integer, as stored.
 *
 * An INT32 (`number`), an INT64 (`bigint`) or a big-endian two's-complement byte array
 * (FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY). `1250n` at scale 2 is `"12.50"`. No value ever passes
 * through a float, which is why the loader reads DECIMAL columns raw instead of letting hyparquet
 * turn them into JavaScript numbers.
 */
export function decimalText(unscaled: number | bigint | Uint8Array, scale: number): string {
  const value = unscaled instanceof Uint8Array ? twosComplement(unscaled) : BigInt(unscaled);
  const negative = value < 0n;
  const digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole;
  return negative ? `-${text}` : text;
}

/** The signed integer of big-endian two's-complement bytes (a Parquet DECIMAL byte array). */
export function twosComplement(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  const bits = BigInt(bytes.length * 8);
  if (bytes.length > 0 && (bytes[0] ?? 0) & 0x80) value -= 1n << bits;
  return value;
}
