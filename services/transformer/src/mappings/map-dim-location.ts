import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';

/**
 * Every address as dim_location rows (`location_id` = `address_id`), whether or not anything refers to it.
 *
 * NULL lines and districts stay NULL.
 */
export function mapDimLocation(addresses: readonly TotesysRow<'address'>[]): OutputRow<'dim_location'>[] {
  return addresses.map((row) => ({
    location_id: row.address_id,
    address_line_1: row.address_line_1,
    address_line_2: row.address_line_2,
    district: row.district,
    city: row.city,
    postal_code: row.postal_code,
    country: row.country,
    phone: row.phone,
  }));
}
