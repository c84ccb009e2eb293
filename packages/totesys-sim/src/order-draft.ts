import type { TotesysRow } from '@totes/schema';
import { fakeText } from './fake-text';
import { formatCents } from './money';
import { dayMs, formatNaiveDate } from './naive-timestamp';
import type { Random } from './random';
import { totesysProfile } from './totesys-profile';
import { wordLists } from './word-lists';

/** How many rows each referenced table has: a drafted order points only at rows that exist. */
export interface ReferenceLimits {
  readonly address: number;
  readonly counterparty: number;
  readonly currency: number;
  readonly staff: number;
  readonly design: number;
}

type Stamps = 'created_at' | 'last_updated';

/** What a new sales order holds besides its id and timestamps. */
export type SalesOrderValues = Omit<TotesysRow<'sales_order'>, 'sales_order_id' | Stamps>;

/** What a new purchase order holds besides its id and timestamps. */
export type PurchaseOrderValues = Omit<TotesysRow<'purchase_order'>, 'purchase_order_id' | Stamps>;

/** What a new design holds besides its id and timestamps. */
export type DesignValues = Omit<TotesysRow<'design'>, 'design_id' | Stamps>;

/** The bank account numbers on a payment. */
export interface AccountNumbers {
  readonly company_ac_number: number;
  readonly counterparty_ac_number: number;
}

function agreedDate(random: Random, createdMs: number): string {
  const { min, max } = totesysProfile.agreedAfterDays;
  return formatNaiveDate(createdMs + random.int(min, max) * dayMs);
}

/**
 * Draws the values of new rows the way the real totesys fills them.
 *
 * Prices and quantities in its ranges, agreed dates a few days after the order, references to
 * existing rows only.
 */
export const orderDraft = Object.freeze({
  /** A sales order made at `createdMs`: 1,000–100,000 units at 2.00–4.00. */
  salesOrder(random: Random, limits: ReferenceLimits, createdMs: number): SalesOrderValues {
    return {
      design_id: random.int(1, limits.design),
      staff_id: random.int(1, limits.staff),
      counterparty_id: random.int(1, limits.counterparty),
      units_sold: random.int(1000, 100_000),
      unit_price: formatCents(random.int(200, 400)),
      currency_id: random.int(1, limits.currency),
      agreed_delivery_date: agreedDate(random, createdMs),
      agreed_payment_date: agreedDate(random, createdMs),
      agreed_delivery_location_id: random.int(1, limits.address),
    };
  },

  /** A purchase order made at `createdMs`: 1–1,000 items at 1.00–1,000.00. */
  purchaseOrder(random: Random, limits: ReferenceLimits, createdMs: number): PurchaseOrderValues {
    return {
      staff_id: random.int(1, limits.staff),
      counterparty_id: random.int(1, limits.counterparty),
      item_code: fakeText.itemCode(random),
      item_quantity: random.int(1, 1000),
      item_unit_price: formatCents(random.int(100, 100_000)),
      currency_id: random.int(1, limits.currency),
      agreed_delivery_date: agreedDate(random, createdMs),
      agreed_payment_date: agreedDate(random, createdMs),
      agreed_delivery_location_id: random.int(1, limits.address),
    };
  },

  /** A design made at `createdMs`. */
  design(random: Random, createdMs: number): DesignValues {
    const design_name = random.pick(wordLists.designNames);
    return {
      design_name,
      file_location: random.pick(wordLists.fileLocations),
      file_name: fakeText.designFileName(random, design_name, formatNaiveDate(createdMs)),
    };
  },

  /** Eight-digit account numbers for a payment. */
  accounts(random: Random): AccountNumbers {
    return {
      company_ac_number: random.int(10_000_000, 99_999_999),
      counterparty_ac_number: random.int(10_000_000, 99_999_999),
    };
  },
});
