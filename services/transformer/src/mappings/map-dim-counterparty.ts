import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { RowContractError } from '../row-contract-error';

/**
 * Every counterparty joined to its legal address, as dim_counterparty rows.
 *
 * The address columns are renamed with the prefix `counterparty_legal_` (`phone` becomes
 * `counterparty_legal_phone_number`). Built from complete snapshots of both tables, so an address
 * change reaches every counterparty at it. Throws {@link RowContractError} for a counterparty whose
 * address is not in the address snapshot (the counterparty is quarantined).
 */
export function mapDimCounterparty(
  counterparties: readonly TotesysRow<'counterparty'>[],
  addresses: readonly TotesysRow<'address'>[],
): OutputRow<'dim_counterparty'>[] {
  const byId = new Map(addresses.map((address) => [address.address_id, address]));
  return counterparties.map((row) => {
    const address = byId.get(row.legal_address_id);
    if (!address) {
      throw new RowContractError(
        `dim_counterparty: counterparty ${row.counterparty_id} has legal_address_id ${row.legal_address_id}, which the address snapshot does not hold`,
        'legal_address_id',
        row.legal_address_id,
      );
    }
    return {
      counterparty_id: row.counterparty_id,
      counterparty_legal_name: row.counterparty_legal_name,
      counterparty_legal_address_line_1: address.address_line_1,
      counterparty_legal_address_line_2: address.address_line_2,
      counterparty_legal_district: address.district,
      counterparty_legal_city: address.city,
      counterparty_legal_postal_code: address.postal_code,
      counterparty_legal_country: address.country,
      counterparty_legal_phone_number: address.phone,
    };
  });
}
