import { describe, expect, it } from 'vitest';
import { currencyName } from '../src/mappings/currency-name';
import { mapDimCounterparty } from '../src/mappings/map-dim-counterparty';
import { mapDimCurrency } from '../src/mappings/map-dim-currency';
import { mapDimDesign } from '../src/mappings/map-dim-design';
import { mapDimLocation } from '../src/mappings/map-dim-location';
import { mapDimPaymentType } from '../src/mappings/map-dim-payment-type';
import { mapDimStaff } from '../src/mappings/map-dim-staff';
import { RowContractError } from '../src/row-contract-error';
import { fixtureRow, totesys } from './fixtures';

describe('mapDimLocation', () => {
  it('holds every address, referenced or not, with location_id = address_id and NULLs kept', () => {
    expect(mapDimLocation(totesys.address)).toEqual([
      {
        location_id: 1,
        address_line_1: '6826 Herzog Via',
        address_line_2: null,
        district: 'Avon',
        city: 'New Patienceburgh',
        postal_code: '28441',
        country: 'Turkey',
        phone: '1803 637401',
      },
      {
        location_id: 2,
        address_line_1: '179 Alexie Cliffs',
        address_line_2: 'Flat 3',
        district: null,
        city: 'Aliso Viejo',
        postal_code: '99305-7380',
        country: 'San Marino',
        phone: '9621 880720',
      },
      {
        location_id: 3,
        address_line_1: '148 Sincere Fort',
        address_line_2: null,
        district: null,
        city: 'Lake Charles',
        postal_code: '89360',
        country: 'Samoa',
        phone: '0730 783349',
      },
    ]);
  });
});

describe('mapDimCounterparty', () => {
  it('joins the legal address with the counterparty_legal_ prefix, phone as counterparty_legal_phone_number', () => {
    expect(mapDimCounterparty(totesys.counterparty, totesys.address)).toEqual([
      {
        counterparty_id: 1,
        counterparty_legal_name: 'Fahey and Sons',
        counterparty_legal_address_line_1: '179 Alexie Cliffs',
        counterparty_legal_address_line_2: 'Flat 3',
        counterparty_legal_district: null,
        counterparty_legal_city: 'Aliso Viejo',
        counterparty_legal_postal_code: '99305-7380',
        counterparty_legal_country: 'San Marino',
        counterparty_legal_phone_number: '9621 880720',
      },
      {
        counterparty_id: 2,
        counterparty_legal_name: 'Leannon, Predovic and Morar',
        counterparty_legal_address_line_1: '6826 Herzog Via',
        counterparty_legal_address_line_2: null,
        counterparty_legal_district: 'Avon',
        counterparty_legal_city: 'New Patienceburgh',
        counterparty_legal_postal_code: '28441',
        counterparty_legal_country: 'Turkey',
        counterparty_legal_phone_number: '1803 637401',
      },
    ]);
  });

  it('changes every counterparty at an address when the address changes', () => {
    const moved = totesys.address.map((address) =>
      address.address_id === 2 ? { ...address, city: 'Bath', phone: '01225 000000' } : address,
    );
    const sharing = [...totesys.counterparty, { ...fixtureRow('counterparty', 0), counterparty_id: 9 }];
    const rows = mapDimCounterparty(sharing, moved).filter((row) => row.counterparty_legal_city === 'Bath');
    expect(rows.map((row) => [row.counterparty_id, row.counterparty_legal_phone_number])).toEqual([
      [1, '01225 000000'],
      [9, '01225 000000'],
    ]);
  });

  it('refuses a counterparty whose legal address the snapshot does not hold', () => {
    expect(() => mapDimCounterparty(totesys.counterparty, totesys.address.slice(0, 1))).toThrow(
      new RowContractError(
        'dim_counterparty: counterparty 1 has legal_address_id 2, which the address snapshot does not hold',
        'legal_address_id',
        2,
      ),
    );
  });
});

describe('mapDimStaff', () => {
  it("joins each staff member's department name and location, 'Leds' kept as it is", () => {
    expect(mapDimStaff(totesys.staff, totesys.department)).toEqual([
      {
        staff_id: 1,
        first_name: 'Jeremie',
        last_name: 'Franey',
        department_name: 'Dispatch',
        location: 'Leds',
        email_address: 'jeremie.franey@terrifictotes.com',
      },
      {
        staff_id: 2,
        first_name: 'Deron',
        last_name: 'Beier',
        department_name: 'Sales',
        location: 'Manchester',
        email_address: 'deron.beier@terrifictotes.com',
      },
      {
        staff_id: 3,
        first_name: 'Jeanette',
        last_name: 'Erdman',
        department_name: 'Dispatch',
        location: 'Leds',
        email_address: 'jeanette.erdman@terrifictotes.com',
      },
    ]);
  });

  it('changes every staff row of a department when the department changes', () => {
    const renamed = totesys.department.map((department) =>
      department.department_id === 6
        ? { ...department, department_name: 'Shipping', location: 'Leeds' }
        : department,
    );
    expect(
      mapDimStaff(totesys.staff, renamed).map((row) => [row.staff_id, row.department_name, row.location]),
    ).toEqual([
      [1, 'Shipping', 'Leeds'],
      [2, 'Sales', 'Manchester'],
      [3, 'Shipping', 'Leeds'],
    ]);
  });

  it('refuses a staff member whose department the snapshot does not hold', () => {
    expect(() => mapDimStaff(totesys.staff, totesys.department.slice(0, 1))).toThrow(
      /staff 1 has department_id 6, which the department snapshot does not hold/,
    );
  });

  it('refuses a department without a location, since dim_staff.location is NOT NULL', () => {
    const nowhere = totesys.department.map((department) => ({ ...department, location: null }));
    expect(() => mapDimStaff(totesys.staff, nowhere)).toThrow(/department 6 \("Dispatch"\) has no location/);
  });
});

describe('currencyName', () => {
  it('names the three totesys currencies in English from CLDR', () => {
    expect(currencyName('GBP')).toBe('British Pound');
    expect(currencyName('USD')).toBe('US Dollar');
    expect(currencyName('EUR')).toBe('Euro');
  });

  it('names any other ISO currency too', () => {
    expect(currencyName('JPY')).toBe('Japanese Yen');
  });

  it('falls back to the code for a code CLDR does not know, so the name is never NULL', () => {
    expect(currencyName('XYZ')).toBe('XYZ');
  });
});

describe('mapDimCurrency', () => {
  it('adds the English currency name to each currency', () => {
    expect(mapDimCurrency(totesys.currency)).toEqual([
      { currency_id: 1, currency_code: 'GBP', currency_name: 'British Pound' },
      { currency_id: 2, currency_code: 'USD', currency_name: 'US Dollar' },
      { currency_id: 3, currency_code: 'EUR', currency_name: 'Euro' },
    ]);
  });
});

describe('mapDimDesign', () => {
  it('keeps each design name and file', () => {
    expect(mapDimDesign(totesys.design)).toEqual([
      { design_id: 8, design_name: 'Wooden', file_location: '/usr', file_name: 'wooden-20220717-npgz.json' },
      {
        design_id: 51,
        design_name: 'Bronze',
        file_location: '/private',
        file_name: 'bronze-20221024-4dds.json',
      },
    ]);
  });
});

describe('mapDimPaymentType', () => {
  it('keeps the enum label as text', () => {
    expect(mapDimPaymentType(totesys.payment_type)).toEqual([
      { payment_type_id: 1, payment_type_name: 'SALES_RECEIPT' },
      { payment_type_id: 2, payment_type_name: 'SALES_REFUND' },
      { payment_type_id: 3, payment_type_name: 'PURCHASE_PAYMENT' },
      { payment_type_id: 4, payment_type_name: 'PURCHASE_REFUND' },
    ]);
  });
});
