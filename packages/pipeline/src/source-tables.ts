import type { SourceTableName } from '@totes/schema';

/**
 * How a source table is extracted.
 *
 * Reference tables are small and edited in place, so each change yields a full snapshot; event
 * tables grow, so they are extracted by watermark.
 */
export type SourceKind = 'reference' | 'event';

/** The declaration of one totesys table. */
export interface SourceTableSpec {
  readonly kind: SourceKind;
  /** The primary key: an integer serial column. */
  readonly key: string;
}

/**
 * Every totesys table the pipeline reads, declared once.
 *
 * Columns come from the row schemas in `@totes/schema`; `_prisma_migrations` is deliberately absent
 * and is never read.
 */
export const sourceTables = {
  address: { kind: 'reference', key: 'address_id' },
  counterparty: { kind: 'reference', key: 'counterparty_id' },
  currency: { kind: 'reference', key: 'currency_id' },
  department: { kind: 'reference', key: 'department_id' },
  design: { kind: 'reference', key: 'design_id' },
  payment_type: { kind: 'reference', key: 'payment_type_id' },
  staff: { kind: 'reference', key: 'staff_id' },
  sales_order: { kind: 'event', key: 'sales_order_id' },
  purchase_order: { kind: 'event', key: 'purchase_order_id' },
  transaction: { kind: 'event', key: 'transaction_id' },
  payment: { kind: 'event', key: 'payment_id' },
} as const satisfies Record<SourceTableName, SourceTableSpec>;

/** Name of a source table (declared by the row schemas of `@totes/schema`). */
export type { SourceTableName };

/** Source tables extracted as full snapshots. */
export type ReferenceTableName = {
  [T in SourceTableName]: (typeof sourceTables)[T]['kind'] extends 'reference' ? T : never;
}[SourceTableName];

/** Source tables extracted as change batches. */
export type EventTableName = Exclude<SourceTableName, ReferenceTableName>;

/** Every source table name, in declaration order. */
export const sourceTableNames = Object.keys(sourceTables) as readonly SourceTableName[];

/** Whether `name` is a declared source table (input from users and messages is checked with this). */
export function isSourceTableName(name: string): name is SourceTableName {
  return Object.hasOwn(sourceTables, name);
}

/** Whether a source table is extracted as snapshots. */
export function isReferenceTable(name: SourceTableName): name is ReferenceTableName {
  return sourceTables[name].kind === 'reference';
}
