import { z } from 'zod';
import { column } from './column';

/**
 * The row schemas of the eleven warehouse tables, columns in database order.
 *
 * The three star schemas, in `public`.
 */
export const warehouseRowSchemas = Object.freeze({
  fact_sales_order: z.object({
    sales_record_id: column.serial(),
    sales_order_id: column.integer(),
    created_date: column.date(),
    created_time: column.time(),
    last_updated_date: column.date(),
    last_updated_time: column.time(),
    sales_staff_id: column.integer(),
    counterparty_id: column.integer(),
    units_sold: column.integer(),
    unit_price: column.money(),
    currency_id: column.integer(),
    design_id: column.integer(),
    agreed_payment_date: column.date(),
    agreed_delivery_date: column.date(),
    agreed_delivery_location_id: column.integer(),
  }),
  fact_purchase_order: z.object({
    purchase_record_id: column.serial(),
    purchase_order_id: column.integer(),
    created_date: column.date(),
    created_time: column.time(),
    last_updated_date: column.date(),
    last_updated_time: column.time(),
    staff_id: column.integer(),
    counterparty_id: column.integer(),
    item_code: column.varchar(),
    item_quantity: column.integer(),
    item_unit_price: column.numeric(),
    currency_id: column.integer(),
    agreed_delivery_date: column.date(),
    agreed_payment_date: column.date(),
    agreed_delivery_location_id: column.integer(),
  }),
  fact_payment: z.object({
    payment_record_id: column.serial(),
    payment_id: column.integer(),
    created_date: column.date(),
    created_time: column.time(),
    last_updated_date: column.date(),
    last_updated_time: column.time(),
    transaction_id: column.integer(),
    counterparty_id: column.integer(),
    payment_amount: column.numeric(),
    currency_id: column.integer(),
    payment_type_id: column.integer(),
    paid: column.boolean(),
    payment_date: column.date(),
  }),
  dim_date: z.object({
    date_id: column.date(),
    year: column.integer(),
    month: column.integer(),
    day: column.integer(),
    day_of_week: column.integer(),
    day_name: column.varchar(),
    month_name: column.varchar(),
    quarter: column.integer(),
  }),
  dim_staff: z.object({
    staff_id: column.integer(),
    first_name: column.varchar(),
    last_name: column.varchar(),
    department_name: column.varchar(),
    location: column.varchar(),
    email_address: column.varchar(),
  }),
  dim_location: z.object({
    location_id: column.integer(),
    address_line_1: column.varchar(),
    address_line_2: column.varchar().nullable(),
    district: column.varchar().nullable(),
    city: column.varchar(),
    postal_code: column.varchar(),
    country: column.varchar(),
    phone: column.varchar(),
  }),
  dim_currency: z.object({
    currency_id: column.integer(),
    currency_code: column.varchar(),
    currency_name: column.varchar(),
  }),
  dim_design: z.object({
    design_id: column.integer(),
    design_name: column.varchar(),
    file_location: column.varchar(),
    file_name: column.varchar(),
  }),
  dim_counterparty: z.object({
    counterparty_id: column.integer(),
    counterparty_legal_name: column.varchar(),
    counterparty_legal_address_line_1: column.varchar(),
    counterparty_legal_address_line_2: column.varchar().nullable(),
    counterparty_legal_district: column.varchar().nullable(),
    counterparty_legal_city: column.varchar(),
    counterparty_legal_postal_code: column.varchar(),
    counterparty_legal_country: column.varchar(),
    counterparty_legal_phone_number: column.varchar(),
  }),
  dim_transaction: z.object({
    transaction_id: column.integer(),
    transaction_type: column.varchar(),
    sales_order_id: column.integer().nullable(),
    purchase_order_id: column.integer().nullable(),
  }),
  dim_payment_type: z.object({
    payment_type_id: column.integer(),
    payment_type_name: column.varchar(),
  }),
});

/** The name of a warehouse table. */
export type TargetTableName = keyof typeof warehouseRowSchemas;

/** One row of a warehouse table, as the pipeline carries it. */
export type WarehouseRow<T extends TargetTableName> = z.infer<(typeof warehouseRowSchemas)[T]>;
