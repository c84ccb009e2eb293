import type { TargetTableName } from '@totes/schema';
import type { SourceTableName } from './source-tables';

/** Facts keep every version of a source row; dimensions hold the latest value per natural key. */
export type WarehouseKind = 'fact' | 'dim';

/** The declaration of one warehouse table. */
export interface WarehouseTableSpec {
  readonly kind: WarehouseKind;
  /** The column that identifies the source row (the natural id). */
  readonly naturalKey: string;
  /** Facts only: the SERIAL surrogate key the warehouse assigns. */
  readonly recordId?: string;
  /**
   * The source tables it is built from. Empty for dim_date, which is generated from the calendar
   * when the pipeline is provisioned.
   */
  readonly inputs: readonly SourceTableName[];
  /** Facts only: the dimension each referencing column points at. */
  readonly references?: Readonly<Record<string, TargetTableName>>;
}

const factDates = {
  created_date: 'dim_date',
  last_updated_date: 'dim_date',
} as const;

/** Every warehouse table, its kind, key and lineage, declared once. */
export const warehouseTables = {
  fact_sales_order: {
    kind: 'fact',
    naturalKey: 'sales_order_id',
    recordId: 'sales_record_id',
    inputs: ['sales_order'],
    references: {
      ...factDates,
      agreed_payment_date: 'dim_date',
      agreed_delivery_date: 'dim_date',
      sales_staff_id: 'dim_staff',
      counterparty_id: 'dim_counterparty',
      currency_id: 'dim_currency',
      design_id: 'dim_design',
      agreed_delivery_location_id: 'dim_location',
    },
  },
  fact_purchase_order: {
    kind: 'fact',
    naturalKey: 'purchase_order_id',
    recordId: 'purchase_record_id',
    inputs: ['purchase_order'],
    references: {
      ...factDates,
      agreed_delivery_date: 'dim_date',
      agreed_payment_date: 'dim_date',
      staff_id: 'dim_staff',
      counterparty_id: 'dim_counterparty',
      currency_id: 'dim_currency',
      agreed_delivery_location_id: 'dim_location',
    },
  },
  fact_payment: {
    kind: 'fact',
    naturalKey: 'payment_id',
    recordId: 'payment_record_id',
    inputs: ['payment'],
    references: {
      ...factDates,
      payment_date: 'dim_date',
      transaction_id: 'dim_transaction',
      counterparty_id: 'dim_counterparty',
      currency_id: 'dim_currency',
      payment_type_id: 'dim_payment_type',
    },
  },
  dim_date: { kind: 'dim', naturalKey: 'date_id', inputs: [] },
  dim_staff: { kind: 'dim', naturalKey: 'staff_id', inputs: ['staff', 'department'] },
  dim_location: { kind: 'dim', naturalKey: 'location_id', inputs: ['address'] },
  dim_currency: { kind: 'dim', naturalKey: 'currency_id', inputs: ['currency'] },
  dim_design: { kind: 'dim', naturalKey: 'design_id', inputs: ['design'] },
  dim_counterparty: { kind: 'dim', naturalKey: 'counterparty_id', inputs: ['counterparty', 'address'] },
  dim_transaction: { kind: 'dim', naturalKey: 'transaction_id', inputs: ['transaction'] },
  dim_payment_type: { kind: 'dim', naturalKey: 'payment_type_id', inputs: ['payment_type'] },
} as const satisfies Record<TargetTableName, WarehouseTableSpec>;

/** Name of a warehouse table (declared by the row schemas of `@totes/schema`). */
export type { TargetTableName };

/** Every warehouse table name, in declaration order. */
export const warehouseTableNames = Object.keys(warehouseTables) as readonly TargetTableName[];

/** Whether `name` is a declared warehouse table. */
export function isWarehouseTableName(name: string): name is TargetTableName {
  return Object.hasOwn(warehouseTables, name);
}

/** The warehouse tables a source table feeds. */
export function targetsOf(source: SourceTableName): readonly TargetTableName[] {
  return warehouseTableNames.filter((target) =>
    (warehouseTables[target].inputs as readonly SourceTableName[]).includes(source),
  );
}
