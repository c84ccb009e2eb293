const decimalText = /^(-?)(\d+)(?:\.(\d+))?$/;

/**
 * The unscaled integer of an exact decimal string at a given scale.
 *
 * `"12.50"`, scale 2 → `1250n`, built from the digits so no value ever passes through a float.
 * Extra fraction digits are accepted only when they are zeros; anything else would lose precision
 * and throws `RangeError`.
 */
export function unscaledDecimal(text: string, scale: number): bigint {
  const parts = decimalText.exec(text);
  if (!parts) throw new RangeError(`not a decimal number: "${text}"`);
  const [, sign = '', whole = '', fraction = ''] = parts;
  if (fraction.length > scale && /[^0]/.test(fraction.slice(scale))) {
    throw new RangeError(`"${text}" has more than ${scale} decimal places`);
  }
  return BigInt(`${sign}${whole}${fraction.slice(0, scale).padEnd(scale, '0')}`);
}
