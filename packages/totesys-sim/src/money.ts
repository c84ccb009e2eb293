/** Formats whole cents as an exact `numeric(10,2)` string: 12345 → `"123.45"`. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  const rest = cents - whole * 100;
  return `${whole}.${rest < 10 ? '0' : ''}${rest}`;
}

/** Reads an exact decimal string with at most two places into whole cents: `"2.5"` → 250. */
export function parseCents(amount: string): number {
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match)
    throw new RangeError(`not a non-negative amount with at most two decimals: ${JSON.stringify(amount)}`);
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** `quantity × unitPrice`, exactly, as a `numeric(10,2)` string. */
export function multiplyMoney(quantity: number, unitPrice: string): string {
  return formatCents(quantity * parseCents(unitPrice));
}
