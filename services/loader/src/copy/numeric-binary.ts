/** A PostgreSQL `numeric` in its binary wire form: base-10000 digits around a weight. */
export interface NumericBinary {
  /** Power of 10000 of the first digit. */
  readonly weight: number;
  /** 0x0000 positive, 0x4000 negative. */
  readonly sign: number;
  /** Decimal digits after the point. */
  readonly dscale: number;
  readonly digits: readonly number[];
}

const positive = 0x0000;
const negative = 0x4000;

/**
 * The binary `numeric` of a decimal given as its unscaled integer and scale.
 *
 * `1250n`, 2 → 12.50, computed from the decimal digits so that no value passes through a float.
 * Leading and trailing zero groups are dropped, as PostgreSQL stores them.
 */
export function numericBinary(unscaled: bigint, scale: number): NumericBinary {
  const sign = unscaled < 0n ? negative : positive;
  const text = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = text.slice(0, text.length - scale);
  const fraction = text.slice(text.length - scale);
  const wholeGroups: number[] = [];
  for (let end = whole.length; end > 0; end -= 4)
    wholeGroups.unshift(Number(whole.slice(Math.max(0, end - 4), end)));
  const fractionGroups: number[] = [];
  for (let start = 0; start < fraction.length; start += 4) {
    fractionGroups.push(Number(fraction.slice(start, start + 4).padEnd(4, '0')));
  }
  let digits = [...wholeGroups, ...fractionGroups];
  let weight = wholeGroups.length - 1;
  while (digits.length > 0 && digits[0] === 0) {
    digits = digits.slice(1);
    weight -= 1;
  }
  while (digits.length > 0 && digits[digits.length - 1] === 0) digits = digits.slice(0, -1);
  if (digits.length === 0) return { weight: 0, sign: positive, dscale: scale, digits: [] };
  return { weight, sign, dscale: scale, digits };
}
