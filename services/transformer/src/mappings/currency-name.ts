const names = new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'code' });

/**
 * The English name of an ISO 4217 currency from the CLDR data built into the runtime.
 *
 * `GBP` → "British Pound". A code CLDR does not know is its own name, so the name is never empty.
 */
export function currencyName(code: string): string {
  return names.of(code) ?? code;
}
