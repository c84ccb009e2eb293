/**
 * How `pg` returns each type the analytics views use, as this package's pools are set up to read
 * them: exact values stay text (numeric, bigint, date), so nothing is rounded or shifted by a
 * time zone on its way to a chart.
 */
interface AnalyticsValueTypes {
  readonly integer: number;
  readonly bigint: string;
  readonly numeric: string;
  readonly date: string;
  readonly text: string;
  readonly boolean: boolean;
}

/** The PostgreSQL type of an analytics view column, as `format_type()` names it (modifiers aside). */
export type AnalyticsColumnType = keyof AnalyticsValueTypes;

/**
 * The views of the `analytics` schema (`sql/analytics.sql`), with their columns and types.
 *
 * Columns are in order, each with its PostgreSQL type. Declared once: the kysely types below derive
 * from it, and a test compares it with the catalog of a database the SQL was applied to.
 */
export const analyticsViews = {
  sales_order: {
    sales_order_id: 'integer',
    created_date: 'date',
    created_month: 'date',
    last_updated_date: 'date',
    units_sold: 'integer',
    unit_price: 'numeric',
    order_value: 'numeric',
    currency_id: 'integer',
    currency_code: 'text',
    design_id: 'integer',
    design_name: 'text',
    staff_id: 'integer',
    staff_name: 'text',
    department_name: 'text',
    counterparty_id: 'integer',
    counterparty_name: 'text',
    delivery_location_id: 'integer',
    delivery_city: 'text',
    delivery_country: 'text',
    agreed_delivery_date: 'date',
    agreed_payment_date: 'date',
    delivery_lead_days: 'integer',
  },
  purchase_order: {
    purchase_order_id: 'integer',
    created_date: 'date',
    created_month: 'date',
    last_updated_date: 'date',
    item_code: 'text',
    item_quantity: 'integer',
    item_unit_price: 'numeric',
    order_value: 'numeric',
    currency_id: 'integer',
    currency_code: 'text',
    staff_id: 'integer',
    staff_name: 'text',
    counterparty_id: 'integer',
    supplier_name: 'text',
    delivery_location_id: 'integer',
    delivery_city: 'text',
    delivery_country: 'text',
    agreed_delivery_date: 'date',
    agreed_payment_date: 'date',
    delivered: 'boolean',
  },
  payment: {
    payment_id: 'integer',
    created_date: 'date',
    last_updated_date: 'date',
    payment_date: 'date',
    payment_month: 'date',
    payment_amount: 'numeric',
    currency_id: 'integer',
    currency_code: 'text',
    payment_type_id: 'integer',
    payment_type_name: 'text',
    paid: 'boolean',
    status: 'text',
    counterparty_id: 'integer',
    counterparty_name: 'text',
    transaction_id: 'integer',
    transaction_type: 'text',
  },
  sales_by_month: {
    month: 'date',
    currency_code: 'text',
    orders: 'integer',
    units_sold: 'bigint',
    sales_value: 'numeric',
    total_delivery_lead_days: 'bigint',
  },
  sales_by_design: {
    month: 'date',
    currency_code: 'text',
    design_id: 'integer',
    design_name: 'text',
    orders: 'integer',
    units_sold: 'bigint',
    sales_value: 'numeric',
  },
  sales_by_location: {
    month: 'date',
    currency_code: 'text',
    delivery_country: 'text',
    delivery_city: 'text',
    orders: 'integer',
    units_sold: 'bigint',
    sales_value: 'numeric',
  },
  sales_by_staff: {
    month: 'date',
    currency_code: 'text',
    staff_id: 'integer',
    staff_name: 'text',
    department_name: 'text',
    orders: 'integer',
    units_sold: 'bigint',
    sales_value: 'numeric',
  },
  sales_by_customer: {
    month: 'date',
    currency_code: 'text',
    counterparty_id: 'integer',
    counterparty_name: 'text',
    orders: 'integer',
    units_sold: 'bigint',
    sales_value: 'numeric',
  },
  purchases_by_supplier: {
    month: 'date',
    currency_code: 'text',
    counterparty_id: 'integer',
    supplier_name: 'text',
    item_code: 'text',
    orders: 'integer',
    open_orders: 'integer',
    delivered_orders: 'integer',
    item_quantity: 'bigint',
    purchase_value: 'numeric',
  },
  payments_by_status: {
    month: 'date',
    currency_code: 'text',
    payment_type_name: 'text',
    status: 'text',
    counterparty_id: 'integer',
    counterparty_name: 'text',
    payments: 'integer',
    amount: 'numeric',
  },
} as const satisfies Readonly<Record<string, Readonly<Record<string, AnalyticsColumnType>>>>;

/** The name of a view in the `analytics` schema. */
export type AnalyticsViewName = keyof typeof analyticsViews;

/**
 * The kysely `Database` of the analytics views, keyed `analytics.<view>`.
 *
 * A query over a column that a view no longer has fails the type check.
 */
export type AnalyticsDatabase = {
  -readonly [V in AnalyticsViewName as `analytics.${V}`]: {
    -readonly [C in keyof (typeof analyticsViews)[V]]: AnalyticsValueTypes[(typeof analyticsViews)[V][C] &
      AnalyticsColumnType];
  };
};
