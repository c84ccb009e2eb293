import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { DashboardDatabase } from './dashboard-database';
import { type DashboardFilter, filterMonths } from './dashboard-filter';

/** A value of a panel's row, as the database returned it (amounts and dates stay exact text). */
export type PanelValue = string | number | null;

/** One row of a panel's data. */
export type PanelRow = Readonly<Record<string, PanelValue>>;

/** A column of a panel's table: which key, its heading, and whether it is a number. */
export interface PanelColumn {
  readonly key: string;
  readonly label: string;
  readonly numeric?: boolean;
}

/**
 * How a panel's rows are drawn.
 *
 * Amounts are drawn per currency (one line, or one group of bars, per currency), never added across
 * currencies; counts of orders and units are.
 */
export type PanelChart =
  | {
      readonly kind: 'line';
      readonly x: string;
      readonly y: string;
      readonly series: string;
      readonly yLabel: string;
    }
  | { readonly kind: 'ranking'; readonly x: string; readonly y: string; readonly xLabel: string }
  | {
      readonly kind: 'grouped';
      readonly group: string;
      readonly x: string;
      readonly y: string;
      readonly yLabel: string;
    };

/** A chart of the dashboard, the query behind it, and the table that says the same in words. */
export interface Panel {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly chart: PanelChart;
  readonly columns: readonly PanelColumn[];
  /** The panel's rows for a filter: the dashboard's data request `/api/panels/<id>`. */
  readonly query: (db: Kysely<DashboardDatabase>, filter: DashboardFilter) => Promise<readonly PanelRow[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: the filter applies to any view with a month and a currency.
type AnyQuery = SelectQueryBuilder<DashboardDatabase, any, any>;

/** Restricts a query over an analytics view to the filter's months and currency. */
function filtered<Q extends AnyQuery>(query: Q, filter: DashboardFilter, month = 'month'): Q {
  const { first, last } = filterMonths(filter);
  let result = query;
  if (first) result = result.where(sql<boolean>`${sql.ref(month)} >= ${first}::date`) as Q;
  if (last) result = result.where(sql<boolean>`${sql.ref(month)} <= ${last}::date`) as Q;
  if (filter.currency) result = result.where(sql<boolean>`currency_code = ${filter.currency}`) as Q;
  return result;
}

const top = 10;

const salesValueByMonth: Panel = {
  id: 'sales-by-month',
  title: 'Sales by month',
  description: 'Value of the sales orders placed each month, one line per currency.',
  chart: { kind: 'line', x: 'month', y: 'sales_value', series: 'currency_code', yLabel: 'sales value' },
  columns: [
    { key: 'month', label: 'Month' },
    { key: 'currency_code', label: 'Currency' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'units_sold', label: 'Units sold', numeric: true },
    { key: 'sales_value', label: 'Sales value', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_month'), filter)
      .select(['month', 'currency_code', 'orders', 'units_sold', 'sales_value'])
      .orderBy('month')
      .orderBy('currency_code')
      .execute(),
};

const unitsByMonth: Panel = {
  id: 'units-by-month',
  title: 'Units sold by month',
  description: 'Totes sold each month, one line per currency the orders were priced in.',
  chart: { kind: 'line', x: 'month', y: 'units_sold', series: 'currency_code', yLabel: 'units sold' },
  columns: salesValueByMonth.columns,
  query: salesValueByMonth.query,
};

const averageOrderValue: Panel = {
  id: 'average-order',
  title: 'Average order value and delivery lead',
  description:
    'Per currency: the average value of a sales order, and how many days ahead delivery is agreed.',
  chart: {
    kind: 'grouped',
    group: 'currency_code',
    x: 'currency_code',
    y: 'average_order_value',
    yLabel: 'average order value',
  },
  columns: [
    { key: 'currency_code', label: 'Currency' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'sales_value', label: 'Sales value', numeric: true },
    { key: 'average_order_value', label: 'Average order value', numeric: true },
    { key: 'average_lead_days', label: 'Average days delivery is agreed ahead', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_month'), filter)
      .select((eb) => [
        'currency_code',
        sql<number>`sum(${eb.ref('orders')})::integer`.as('orders'),
        sql<string>`sum(${eb.ref('sales_value')})`.as('sales_value'),
        sql<string>`round(sum(${eb.ref('sales_value')}) / sum(${eb.ref('orders')}), 2)`.as(
          'average_order_value',
        ),
        sql<string>`round(sum(${eb.ref('total_delivery_lead_days')})::numeric / sum(${eb.ref('orders')}), 1)`.as(
          'average_lead_days',
        ),
      ])
      .groupBy('currency_code')
      .orderBy('currency_code')
      .execute(),
};

const topDesigns: Panel = {
  id: 'top-designs',
  title: 'Top designs',
  description: `The ${top} designs that sold the most totes.`,
  chart: { kind: 'ranking', x: 'units_sold', y: 'design_name', xLabel: 'units sold' },
  columns: [
    { key: 'design_name', label: 'Design' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'units_sold', label: 'Units sold', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_design'), filter)
      .select([
        'design_name',
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<string>`sum(units_sold)`.as('units_sold'),
      ])
      .groupBy(['design_id', 'design_name'])
      .orderBy(sql`sum(units_sold)`, 'desc')
      .orderBy('design_name')
      .limit(top)
      .execute(),
};

const topCustomers: Panel = {
  id: 'top-customers',
  title: 'Top customers',
  description: `The ${top} counterparties that bought the most totes.`,
  chart: { kind: 'ranking', x: 'units_sold', y: 'counterparty_name', xLabel: 'units sold' },
  columns: [
    { key: 'counterparty_name', label: 'Customer' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'units_sold', label: 'Units sold', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_customer'), filter)
      .select([
        'counterparty_name',
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<string>`sum(units_sold)`.as('units_sold'),
      ])
      .groupBy(['counterparty_id', 'counterparty_name'])
      .orderBy(sql`sum(units_sold)`, 'desc')
      .orderBy('counterparty_name')
      .limit(top)
      .execute(),
};

const salesByLocation: Panel = {
  id: 'sales-by-location',
  title: 'Sales by delivery city',
  description: 'Totes sold by the city and country they are delivered to.',
  chart: { kind: 'ranking', x: 'units_sold', y: 'place', xLabel: 'units sold' },
  columns: [
    { key: 'place', label: 'City, country' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'units_sold', label: 'Units sold', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_location'), filter)
      .select([
        sql<string>`delivery_city || ', ' || delivery_country`.as('place'),
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<string>`sum(units_sold)`.as('units_sold'),
      ])
      .groupBy(['delivery_country', 'delivery_city'])
      .orderBy(sql`sum(units_sold)`, 'desc')
      .orderBy('place')
      .limit(15)
      .execute(),
};

const salesByStaff: Panel = {
  id: 'sales-by-staff',
  title: 'Sales by member of staff',
  description: 'Totes sold by each member of staff, with their department.',
  chart: { kind: 'ranking', x: 'units_sold', y: 'staff_name', xLabel: 'units sold' },
  columns: [
    { key: 'staff_name', label: 'Staff' },
    { key: 'department_name', label: 'Department' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'units_sold', label: 'Units sold', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_staff'), filter)
      .select([
        'staff_name',
        'department_name',
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<string>`sum(units_sold)`.as('units_sold'),
      ])
      .groupBy(['staff_id', 'staff_name', 'department_name'])
      .orderBy(sql`sum(units_sold)`, 'desc')
      .orderBy('staff_name')
      .limit(20)
      .execute(),
};

const salesByDepartment: Panel = {
  id: 'sales-by-department',
  title: 'Sales by department',
  description: 'Totes sold by the department of the member of staff who made the sale.',
  chart: { kind: 'ranking', x: 'units_sold', y: 'department_name', xLabel: 'units sold' },
  columns: [
    { key: 'department_name', label: 'Department' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'units_sold', label: 'Units sold', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.sales_by_staff'), filter)
      .select([
        'department_name',
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<string>`sum(units_sold)`.as('units_sold'),
      ])
      .groupBy('department_name')
      .orderBy(sql`sum(units_sold)`, 'desc')
      .orderBy('department_name')
      .execute(),
};

const purchasesBySupplier: Panel = {
  id: 'purchases-by-supplier',
  title: 'Purchases by supplier',
  description: 'Purchase orders placed with each supplier, open (delivery still to come) and delivered.',
  chart: { kind: 'ranking', x: 'orders', y: 'supplier_name', xLabel: 'purchase orders' },
  columns: [
    { key: 'supplier_name', label: 'Supplier' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'open_orders', label: 'Open', numeric: true },
    { key: 'delivered_orders', label: 'Delivered', numeric: true },
    { key: 'item_quantity', label: 'Items', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.purchases_by_supplier'), filter)
      .select([
        'supplier_name',
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<number>`sum(open_orders)::integer`.as('open_orders'),
        sql<number>`sum(delivered_orders)::integer`.as('delivered_orders'),
        sql<string>`sum(item_quantity)`.as('item_quantity'),
      ])
      .groupBy(['counterparty_id', 'supplier_name'])
      .orderBy(sql`sum(orders)`, 'desc')
      .orderBy('supplier_name')
      .limit(15)
      .execute(),
};

const purchasesByItem: Panel = {
  id: 'purchases-by-item',
  title: 'Purchases by item',
  description: 'Items bought, by item code.',
  chart: { kind: 'ranking', x: 'item_quantity', y: 'item_code', xLabel: 'items bought' },
  columns: [
    { key: 'item_code', label: 'Item' },
    { key: 'orders', label: 'Orders', numeric: true },
    { key: 'item_quantity', label: 'Items', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.purchases_by_supplier'), filter)
      .select([
        'item_code',
        sql<number>`sum(orders)::integer`.as('orders'),
        sql<string>`sum(item_quantity)`.as('item_quantity'),
      ])
      .groupBy('item_code')
      .orderBy(sql`sum(item_quantity)`, 'desc')
      .orderBy('item_code')
      .limit(15)
      .execute(),
};

const purchaseStatus: Panel = {
  id: 'purchase-status',
  title: 'Purchase orders open and delivered',
  description: 'Purchase orders whose agreed delivery day is still to come (open) or past (delivered).',
  chart: { kind: 'ranking', x: 'orders', y: 'status', xLabel: 'purchase orders' },
  columns: [
    { key: 'status', label: 'Status' },
    { key: 'orders', label: 'Orders', numeric: true },
  ],
  query: async (db, filter) => {
    const row = await filtered(db.selectFrom('analytics.purchases_by_supplier'), filter)
      .select([
        sql<number>`coalesce(sum(open_orders), 0)::integer`.as('open'),
        sql<number>`coalesce(sum(delivered_orders), 0)::integer`.as('delivered'),
      ])
      .executeTakeFirst();
    return [
      { status: 'open', orders: row?.open ?? 0 },
      { status: 'delivered', orders: row?.delivered ?? 0 },
    ];
  },
};

const paymentStatus: Panel = {
  id: 'payment-status',
  title: 'Payments paid, due and overdue',
  description: 'Amounts paid, due (not yet paid, due today or later) and overdue, per currency.',
  chart: { kind: 'grouped', group: 'currency_code', x: 'status', y: 'amount', yLabel: 'amount' },
  columns: [
    { key: 'currency_code', label: 'Currency' },
    { key: 'status', label: 'Status' },
    { key: 'payments', label: 'Payments', numeric: true },
    { key: 'amount', label: 'Amount', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.payments_by_status'), filter)
      .select([
        'currency_code',
        'status',
        sql<number>`sum(payments)::integer`.as('payments'),
        sql<string>`sum(amount)`.as('amount'),
      ])
      .groupBy(['currency_code', 'status'])
      .orderBy('currency_code')
      .orderBy('status', 'desc')
      .execute(),
};

const overdueByCounterparty: Panel = {
  id: 'overdue-by-counterparty',
  title: 'Overdue payments by counterparty',
  description: 'Payments not made by the day they were due, by counterparty.',
  chart: { kind: 'ranking', x: 'payments', y: 'counterparty_name', xLabel: 'overdue payments' },
  columns: [
    { key: 'counterparty_name', label: 'Counterparty' },
    { key: 'payments', label: 'Overdue payments', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.payments_by_status'), filter)
      .where('status', '=', 'overdue')
      .select(['counterparty_name', sql<number>`sum(payments)::integer`.as('payments')])
      .groupBy(['counterparty_id', 'counterparty_name'])
      .orderBy(sql`sum(payments)`, 'desc')
      .orderBy('counterparty_name')
      .limit(15)
      .execute(),
};

const paymentsByType: Panel = {
  id: 'payments-by-type',
  title: 'Payments by type',
  description: 'Amounts by payment type, per currency.',
  chart: { kind: 'grouped', group: 'currency_code', x: 'payment_type_name', y: 'amount', yLabel: 'amount' },
  columns: [
    { key: 'currency_code', label: 'Currency' },
    { key: 'payment_type_name', label: 'Payment type' },
    { key: 'payments', label: 'Payments', numeric: true },
    { key: 'amount', label: 'Amount', numeric: true },
  ],
  query: (db, filter) =>
    filtered(db.selectFrom('analytics.payments_by_status'), filter)
      .select([
        'currency_code',
        'payment_type_name',
        sql<number>`sum(payments)::integer`.as('payments'),
        sql<string>`sum(amount)`.as('amount'),
      ])
      .groupBy(['currency_code', 'payment_type_name'])
      .orderBy('currency_code')
      .orderBy('payment_type_name')
      .execute(),
};

/** Every panel, by id. */
export const panels = Object.freeze(
  Object.fromEntries(
    [
      salesValueByMonth,
      unitsByMonth,
      averageOrderValue,
      topDesigns,
      topCustomers,
      salesByLocation,
      salesByStaff,
      salesByDepartment,
      purchasesBySupplier,
      purchasesByItem,
      purchaseStatus,
      paymentStatus,
      overdueByCounterparty,
      paymentsByType,
    ].map((panel) => [panel.id, panel]),
  ),
) as Readonly<Record<string, Panel>>;

/** The business pages: their path, title and panels in order. */
export const businessPages = [
  {
    path: '/',
    title: 'Overview',
    panels: ['sales-by-month', 'top-designs', 'top-customers', 'payment-status', 'purchase-status'],
  },
  {
    path: '/sales',
    title: 'Sales',
    panels: [
      'sales-by-month',
      'units-by-month',
      'average-order',
      'top-designs',
      'sales-by-location',
      'sales-by-staff',
      'sales-by-department',
    ],
  },
  {
    path: '/purchases',
    title: 'Purchases',
    panels: ['purchases-by-supplier', 'purchases-by-item', 'purchase-status'],
  },
  {
    path: '/payments',
    title: 'Payments',
    panels: ['payment-status', 'overdue-by-counterparty', 'payments-by-type'],
  },
] as const;

/** The currencies the warehouse holds, for the filter. */
export async function currencyCodes(db: Kysely<DashboardDatabase>): Promise<readonly string[]> {
  const rows = await db.selectFrom('dim_currency').select('currency_code').orderBy('currency_code').execute();
  return rows.map((row) => row.currency_code);
}
