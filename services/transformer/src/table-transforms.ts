import type { TargetTableName, warehouseTables as topology } from '@totes/pipeline';
import type { TotesysRow } from '@totes/schema';
import { mapDimCounterparty } from './mappings/map-dim-counterparty';
import { mapDimCurrency } from './mappings/map-dim-currency';
import { mapDimDesign } from './mappings/map-dim-design';
import { mapDimLocation } from './mappings/map-dim-location';
import { mapDimPaymentType } from './mappings/map-dim-payment-type';
import { mapDimStaff } from './mappings/map-dim-staff';
import { mapDimTransaction } from './mappings/map-dim-transaction';
import { mapFactPayment } from './mappings/map-fact-payment';
import { mapFactPurchaseOrder } from './mappings/map-fact-purchase-order';
import { mapFactSalesOrder } from './mappings/map-fact-sales-order';
import type { OutputRow } from './output-row';

/** The source tables a warehouse table is built from, as the topology declares them. */
export type InputOf<T extends TargetTableName> = (typeof topology)[T]['inputs'][number];

/** The complete rows of each input's latest snapshot. */
export type SnapshotRows<T extends TargetTableName> = {
  readonly [I in InputOf<T>]: readonly TotesysRow<I>[];
};

/** A table built row by row from the change objects of one event table. */
export interface RowsTransform<T extends TargetTableName> {
  readonly kind: 'rows';
  readonly map: (row: TotesysRow<InputOf<T>>) => OutputRow<T>;
}

/** A dimension rebuilt whole from the latest snapshot of each of its reference-table inputs. */
export interface RebuildTransform<T extends TargetTableName> {
  readonly kind: 'rebuild';
  readonly build: (snapshots: SnapshotRows<T>) => OutputRow<T>[];
}

/** dim_date: generated from the calendar, from no input. */
export interface CalendarTransform {
  readonly kind: 'calendar';
}

/** How one warehouse table is produced. */
export type TableTransform<T extends TargetTableName> =
  | RowsTransform<T>
  | RebuildTransform<T>
  | CalendarTransform;

/**
 * The transform of every warehouse table, beside the lineage the topology declares.
 *
 * Event-table inputs map row by row, reference-table inputs rebuild the whole dimension, dim_date
 * comes from the calendar.
 */
export const tableTransforms = {
  fact_sales_order: { kind: 'rows', map: mapFactSalesOrder },
  fact_purchase_order: { kind: 'rows', map: mapFactPurchaseOrder },
  fact_payment: { kind: 'rows', map: mapFactPayment },
  dim_date: { kind: 'calendar' },
  dim_staff: { kind: 'rebuild', build: ({ staff, department }) => mapDimStaff(staff, department) },
  dim_location: { kind: 'rebuild', build: ({ address }) => mapDimLocation(address) },
  dim_currency: { kind: 'rebuild', build: ({ currency }) => mapDimCurrency(currency) },
  dim_design: { kind: 'rebuild', build: ({ design }) => mapDimDesign(design) },
  dim_counterparty: {
    kind: 'rebuild',
    build: ({ counterparty, address }) => mapDimCounterparty(counterparty, address),
  },
  dim_transaction: { kind: 'rows', map: mapDimTransaction },
  dim_payment_type: { kind: 'rebuild', build: ({ payment_type }) => mapDimPaymentType(payment_type) },
} as const satisfies { readonly [T in TargetTableName]: TableTransform<T> };

type TargetOfKind<K extends TableTransform<TargetTableName>['kind']> = {
  [T in TargetTableName]: (typeof tableTransforms)[T]['kind'] extends K ? T : never;
}[TargetTableName];

/** The tables built row by row (facts and dim_transaction). */
export type RowsTarget = TargetOfKind<'rows'>;

/** The dimensions rebuilt from snapshots. */
export type RebuildTarget = TargetOfKind<'rebuild'>;
