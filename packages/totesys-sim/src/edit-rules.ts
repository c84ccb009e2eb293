import type { SourceTableName, TotesysRow } from '@totes/schema';
import { fakeText } from './fake-text';
import { addDays } from './naive-timestamp';
import type { ReferenceLimits } from './order-draft';
import type { Random } from './random';
import { wordLists } from './word-lists';

/** How one column of a table is changed: which column, and its new value given the current row. */
export interface EditRule<T extends SourceTableName, K extends keyof TotesysRow<T> & string> {
  readonly column: K;
  /** A value that differs from the row's current one. */
  change(row: TotesysRow<T>, random: Random, limits: ReferenceLimits): TotesysRow<T>[K];
}

/** Any {@link EditRule}, for code that applies a rule without knowing its table's row type. */
export interface SomeEditRule {
  readonly column: string;
  change(row: never, random: Random, limits: ReferenceLimits): unknown;
}

function other<T>(items: readonly T[], current: T, random: Random): T {
  const at = items.indexOf(current);
  if (at < 0) return random.pick(items);
  return items[(at + random.int(1, items.length - 1)) % items.length] as T;
}

function differentFrom<V>(current: V, draw: () => V): V {
  for (let attempt = 0; attempt < 100; attempt++) {
    const value = draw();
    if (value !== current) return value;
  }
  throw new RangeError('could not draw a value that differs from the current one');
}

/**
 * The silent edits totesys makes: a value changes and `last_updated` does not.
 *
 * Observed on sales_order, purchase_order and design; the column chosen for each keeps the other
 * tables consistent (a payment's amount still matches its order).
 */
export const silentEditRules = Object.freeze({
  sales_order: {
    column: 'agreed_delivery_date',
    change: (row, random) => addDays(row.agreed_delivery_date, random.int(1, 7)),
  } satisfies EditRule<'sales_order', 'agreed_delivery_date'>,
  purchase_order: {
    column: 'agreed_delivery_location_id',
    change: (row, random, limits) => {
      if (limits.address < 2) throw new RangeError('moving a delivery needs at least two addresses');
      return ((row.agreed_delivery_location_id - 1 + random.int(1, limits.address - 1)) % limits.address) + 1;
    },
  } satisfies EditRule<'purchase_order', 'agreed_delivery_location_id'>,
  design: {
    column: 'file_location',
    change: (row, random) => other(wordLists.fileLocations, row.file_location, random),
  } satisfies EditRule<'design', 'file_location'>,
});

/** A table totesys edits silently. */
export type SilentEditTable = keyof typeof silentEditRules;

/** The ordinary edits of reference rows, which bump `last_updated`. */
export const referenceEditRules = Object.freeze({
  staff: {
    column: 'email_address',
    change: (row, random) =>
      differentFrom(row.email_address, () =>
        fakeText.staffEmail(row.first_name, row.last_name, String(random.int(1, 99))),
      ),
  } satisfies EditRule<'staff', 'email_address'>,
  address: {
    column: 'phone',
    change: (row, random) => differentFrom(row.phone, () => fakeText.phoneNumber(random)),
  } satisfies EditRule<'address', 'phone'>,
  counterparty: {
    column: 'delivery_contact',
    change: (row, random) => differentFrom(row.delivery_contact, () => fakeText.contactName(random)),
  } satisfies EditRule<'counterparty', 'delivery_contact'>,
  department: {
    column: 'manager',
    change: (row, random) => differentFrom(row.manager, () => fakeText.personName(random)),
  } satisfies EditRule<'department', 'manager'>,
});

/** A reference table whose rows the simulator edits. */
export type ReferenceEditTable = keyof typeof referenceEditRules;
