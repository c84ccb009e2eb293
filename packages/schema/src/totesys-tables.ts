import { z } from 'zod';
import { column } from './column';
import { totesysEnums } from './totesys-enums';

/**
 * The row schemas of the eleven totesys tables the pipeline reads, columns in database order.
 *
 * `_prisma_migrations` is deliberately absent: it is never ingested (see
 * {@link prismaMigrationsTable}).
 */
export const totesysTables = Object.freeze({
  address: z.object({
    address_id: column.serial(),
    address_line_1: column.text(),
    address_line_2: column.text().nullable(),
    district: column.text().nullable(),
    city: column.text(),
    postal_code: column.text(),
    country: column.text(),
    phone: column.text(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
  counterparty: z.object({
    counterparty_id: column.serial(),
    counterparty_legal_name: column.text(),
    legal_address_id: column.integer(),
    commercial_contact: column.text().nullable(),
    delivery_contact: column.text().nullable(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
  currency: z.object({
    currency_id: column.serial(),
    currency_code: column.varchar(3),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
  department: z.object({
    department_id: column.serial(),
    department_name: column.text(),
    location: column.text().nullable(),
    manager: column.text().nullable(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
  design: z.object({
    design_id: column.serial(),
    created_at: column.withDefault(column.timestamp3()),
    design_name: column.text(),
    file_location: column.text(),
    file_name: column.text(),
    last_updated: column.timestamp3(),
  }),
  staff: z.object({
    staff_id: column.serial(),
    first_name: column.text(),
    last_name: column.text(),
    department_id: column.integer(),
    email_address: column.text(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
  sales_order: z.object({
    sales_order_id: column.serial(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
    design_id: column.integer(),
    staff_id: column.integer(),
    counterparty_id: column.integer(),
    units_sold: column.integer(),
    unit_price: column.money(),
    currency_id: column.integer(),
    agreed_delivery_date: column.textDate(),
    agreed_payment_date: column.textDate(),
    agreed_delivery_location_id: column.integer(),
  }),
  purchase_order: z.object({
    purchase_order_id: column.serial(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
    staff_id: column.integer(),
    counterparty_id: column.integer(),
    item_code: column.text(),
    item_quantity: column.integer(),
    item_unit_price: column.money(),
    currency_id: column.integer(),
    agreed_delivery_date: column.textDate(),
    agreed_payment_date: column.textDate(),
    agreed_delivery_location_id: column.integer(),
  }),
  transaction: z.object({
    transaction_id: column.serial(),
    transaction_type: column.enum('TransactionType', totesysEnums.TransactionType),
    sales_order_id: column.integer().nullable(),
    purchase_order_id: column.integer().nullable(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
  payment: z.object({
    payment_id: column.serial(),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
    transaction_id: column.integer(),
    counterparty_id: column.integer(),
    payment_amount: column.money(),
    currency_id: column.integer(),
    payment_type_id: column.integer(),
    paid: column.boolean(),
    payment_date: column.textDate(),
    company_ac_number: column.integer(),
    counterparty_ac_number: column.integer(),
  }),
  payment_type: z.object({
    payment_type_id: column.serial(),
    payment_type_name: column.enum('PaymentTypeName', totesysEnums.PaymentTypeName),
    created_at: column.withDefault(column.timestamp3()),
    last_updated: column.timestamp3(),
  }),
});

/** The name of a totesys table the pipeline reads. */
export type SourceTableName = keyof typeof totesysTables;

/** One row of a totesys table, as the pipeline carries it. */
export type TotesysRow<T extends SourceTableName> = z.infer<(typeof totesysTables)[T]>;
