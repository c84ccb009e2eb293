import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { currencyName } from './currency-name';

/** Every currency as dim_currency rows, named in English from the runtime's CLDR data. */
export function mapDimCurrency(currencies: readonly TotesysRow<'currency'>[]): OutputRow<'dim_currency'>[] {
  return currencies.map((row) => ({
    currency_id: row.currency_id,
    currency_code: row.currency_code,
    currency_name: currencyName(row.currency_code),
  }));
}
