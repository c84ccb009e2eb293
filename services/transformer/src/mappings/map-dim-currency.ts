import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { RowContractError } from '../row-contract-error';
import { currencyName } from './currency-name';

/**
 * Every currency as dim_currency rows, named in English from the runtime's CLDR data.
 *
 * A code that is not three capital letters (ISO 4217) throws {@link RowContractError}: the currency
 * is quarantined rather than named after a typo.
 */
export function mapDimCurrency(currencies: readonly TotesysRow<'currency'>[]): OutputRow<'dim_currency'>[] {
  return currencies.map((row) => {
    if (!/^[A-Z]{3}$/.test(row.currency_code)) {
      throw new RowContractError(
        `dim_currency: currency ${row.currency_id} has code "${row.currency_code}", not three capital letters (ISO 4217)`,
        'currency_code',
        row.currency_code,
      );
    }
    return {
      currency_id: row.currency_id,
      currency_code: row.currency_code,
      currency_name: currencyName(row.currency_code),
    };
  });
}
