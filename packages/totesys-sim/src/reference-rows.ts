import { type TotesysRow, totesysEnums } from '@totes/schema';
import { fakeText } from './fake-text';
import { Random } from './random';
import { totesysProfile } from './totesys-profile';
import { wordLists } from './word-lists';

/** The reference tables whose rows all exist before the first order and whose size never scales. */
export type FixedTableName =
  | 'address'
  | 'counterparty'
  | 'currency'
  | 'department'
  | 'payment_type'
  | 'staff';

/** Every row of the {@link FixedTableName} tables. */
export type ReferenceRows = { readonly [T in FixedTableName]: readonly TotesysRow<T>[] };

/** Share of rows with a NULL in a nullable column, as in the real data. */
const nullShare = Object.freeze({
  addressLine2: 0.45,
  district: 0.4,
  commercialContact: 0.15,
  deliveryContact: 0.1,
});

/** Picks exactly `round(share * n)` of the indices 0..n-1, so NULL patterns are there for every seed. */
function nullIndices(random: Random, n: number, share: number): ReadonlySet<number> {
  return random.sample(n, Math.max(1, Math.round(share * n)));
}

/**
 * The rows of the reference tables for a seed.
 *
 * Sizes are those of the real totesys (30 addresses, 20 counterparties, 20 staff, GBP/USD/EUR, its
 * 8 departments and 4 payment types); all were created at the same moment, as in the real database.
 */
export function referenceRows(seed: number): ReferenceRows {
  const at = totesysProfile.referenceCreatedAt;
  const stamps = { created_at: at, last_updated: at };
  const sizes = totesysProfile.referenceSizes;

  const random = Random.of(seed, 'address');
  const noLine2 = nullIndices(random, sizes.address, nullShare.addressLine2);
  const noDistrict = nullIndices(random, sizes.address, nullShare.district);
  const address = Array.from(
    { length: sizes.address },
    (_, i): TotesysRow<'address'> => ({
      address_id: i + 1,
      address_line_1: fakeText.streetLine(random),
      address_line_2: noLine2.has(i) ? null : fakeText.localityLine(random),
      district: noDistrict.has(i) ? null : random.pick(wordLists.districts),
      city: fakeText.city(random),
      postal_code: fakeText.postalCode(random),
      country: random.pick(wordLists.countries),
      phone: fakeText.phoneNumber(random),
      ...stamps,
    }),
  );

  const partners = Random.of(seed, 'counterparty');
  const noCommercial = nullIndices(partners, sizes.counterparty, nullShare.commercialContact);
  const noDelivery = nullIndices(partners, sizes.counterparty, nullShare.deliveryContact);
  const counterparty = Array.from(
    { length: sizes.counterparty },
    (_, i): TotesysRow<'counterparty'> => ({
      counterparty_id: i + 1,
      counterparty_legal_name: fakeText.companyName(partners),
      legal_address_id: partners.int(1, sizes.address),
      commercial_contact: noCommercial.has(i) ? null : fakeText.personName(partners),
      delivery_contact: noDelivery.has(i) ? null : fakeText.contactName(partners),
      ...stamps,
    }),
  );

  const currency = wordLists.currencies.map(
    (code, i): TotesysRow<'currency'> => ({ currency_id: i + 1, currency_code: code, ...stamps }),
  );

  const managers = Random.of(seed, 'department');
  const department = wordLists.departments.map(
    (d, i): TotesysRow<'department'> => ({
      department_id: i + 1,
      department_name: d.name,
      location: d.location,
      manager: fakeText.personName(managers),
      ...stamps,
    }),
  );

  const payment_type = totesysEnums.PaymentTypeName.map(
    (name, i): TotesysRow<'payment_type'> => ({ payment_type_id: i + 1, payment_type_name: name, ...stamps }),
  );

  const people = Random.of(seed, 'staff');
  const staff = Array.from({ length: sizes.staff }, (_, i): TotesysRow<'staff'> => {
    const first_name = people.pick(wordLists.firstNames);
    const last_name = people.pick(wordLists.lastNames);
    return {
      staff_id: i + 1,
      first_name,
      last_name,
      department_id: people.int(1, department.length),
      email_address: fakeText.staffEmail(first_name, last_name),
      ...stamps,
    };
  });

  return { address, counterparty, currency, department, payment_type, staff };
}
