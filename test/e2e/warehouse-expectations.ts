import type { TargetTableName } from '@totes/pipeline';

/**
 * The warehouse as SPEC.md's rules make it, written independently of the pipeline's code: for
 * each table, a query over totesys giving the expected rows and a query over the warehouse
 * giving the actual ones, both as text in the same column order. For facts the warehouse
 * query takes the current state (the latest version per natural id).
 */
export interface TableExpectation {
  readonly source: string;
  readonly warehouse: string;
}

const time = (column: string) => `to_char(${column}, 'HH24:MI:SS.MS')`;
const split = (column: string) => `${column}::date::text, ${time(`${column}::time`)}`;

const latest = (table: string, key: string, record: string, columns: string) => `
  SELECT ${columns} FROM (
    SELECT DISTINCT ON (${key}) * FROM ${table}
     ORDER BY ${key}, last_updated_date DESC, last_updated_time DESC, ${record} DESC
  ) current_state`;

export const warehouseExpectations: Readonly<Record<TargetTableName, TableExpectation>> = {
  fact_sales_order: {
    source: `SELECT sales_order_id, ${split('created_at')}, ${split('last_updated')}, staff_id, counterparty_id,
                    units_sold, unit_price::text, currency_id, design_id, agreed_payment_date,
                    agreed_delivery_date, agreed_delivery_location_id
               FROM sales_order`,
    warehouse: latest(
      'fact_sales_order',
      'sales_order_id',
      'sales_record_id',
      `sales_order_id, created_date::text, ${time('created_time')}, last_updated_date::text, ${time('last_updated_time')},
       sales_staff_id, counterparty_id, units_sold, unit_price::text, currency_id, design_id,
       agreed_payment_date::text, agreed_delivery_date::text, agreed_delivery_location_id`,
    ),
  },
  fact_purchase_order: {
    source: `SELECT purchase_order_id, ${split('created_at')}, ${split('last_updated')}, staff_id, counterparty_id,
                    item_code, item_quantity, item_unit_price::text, currency_id, agreed_delivery_date,
                    agreed_payment_date, agreed_delivery_location_id
               FROM purchase_order`,
    warehouse: latest(
      'fact_purchase_order',
      'purchase_order_id',
      'purchase_record_id',
      `purchase_order_id, created_date::text, ${time('created_time')}, last_updated_date::text, ${time('last_updated_time')},
       staff_id, counterparty_id, item_code, item_quantity, item_unit_price::text, currency_id,
       agreed_delivery_date::text, agreed_payment_date::text, agreed_delivery_location_id`,
    ),
  },
  fact_payment: {
    source: `SELECT payment_id, ${split('created_at')}, ${split('last_updated')}, transaction_id, counterparty_id,
                    payment_amount::text, currency_id, payment_type_id, paid, payment_date
               FROM payment`,
    warehouse: latest(
      'fact_payment',
      'payment_id',
      'payment_record_id',
      `payment_id, created_date::text, ${time('created_time')}, last_updated_date::text, ${time('last_updated_time')},
       transaction_id, counterparty_id, payment_amount::text, currency_id, payment_type_id, paid, payment_date::text`,
    ),
  },
  dim_date: {
    source: `SELECT day::date::text, extract(year FROM day)::int, extract(month FROM day)::int, extract(day FROM day)::int,
                    extract(isodow FROM day)::int, to_char(day, 'FMDay'), to_char(day, 'FMMonth'),
                    extract(quarter FROM day)::int
               FROM generate_series('2020-01-01'::date, '2030-12-31'::date, interval '1 day') AS day`,
    warehouse: `SELECT date_id::text, year, month, day, day_of_week, day_name, month_name, quarter FROM dim_date
                 WHERE date_id BETWEEN '2020-01-01' AND '2030-12-31'`,
  },
  dim_staff: {
    source: `SELECT s.staff_id, s.first_name, s.last_name, d.department_name, d.location, s.email_address
               FROM staff s JOIN department d ON d.department_id = s.department_id`,
    warehouse:
      'SELECT staff_id, first_name, last_name, department_name, location, email_address FROM dim_staff',
  },
  dim_location: {
    source: `SELECT address_id, address_line_1, address_line_2, district, city, postal_code, country, phone FROM address`,
    warehouse: `SELECT location_id, address_line_1, address_line_2, district, city, postal_code, country, phone FROM dim_location`,
  },
  dim_currency: {
    source: `SELECT currency_id, currency_code,
                    CASE currency_code WHEN 'GBP' THEN 'British Pound' WHEN 'USD' THEN 'US Dollar' WHEN 'EUR' THEN 'Euro' END
               FROM currency`,
    warehouse: 'SELECT currency_id, currency_code, currency_name FROM dim_currency',
  },
  dim_design: {
    source: 'SELECT design_id, design_name, file_location, file_name FROM design',
    warehouse: 'SELECT design_id, design_name, file_location, file_name FROM dim_design',
  },
  dim_counterparty: {
    source: `SELECT c.counterparty_id, c.counterparty_legal_name, a.address_line_1, a.address_line_2, a.district,
                    a.city, a.postal_code, a.country, a.phone
               FROM counterparty c JOIN address a ON a.address_id = c.legal_address_id`,
    warehouse: `SELECT counterparty_id, counterparty_legal_name, counterparty_legal_address_line_1,
                       counterparty_legal_address_line_2, counterparty_legal_district, counterparty_legal_city,
                       counterparty_legal_postal_code, counterparty_legal_country, counterparty_legal_phone_number
                  FROM dim_counterparty`,
  },
  dim_transaction: {
    source:
      'SELECT transaction_id, transaction_type::text, sales_order_id, purchase_order_id FROM "transaction"',
    warehouse:
      'SELECT transaction_id, transaction_type, sales_order_id, purchase_order_id FROM dim_transaction',
  },
  dim_payment_type: {
    source: 'SELECT payment_type_id, payment_type_name::text FROM payment_type',
    warehouse: 'SELECT payment_type_id, payment_type_name FROM dim_payment_type',
  },
};

/** Counts fact rows that repeat another row of the same fact in every column but the record id. */
export const duplicateVersions: Readonly<
  Record<'fact_sales_order' | 'fact_purchase_order' | 'fact_payment', string>
> = {
  fact_sales_order: `SELECT count(*)::int AS n FROM (
      SELECT 1 FROM fact_sales_order GROUP BY sales_order_id, created_date, created_time, last_updated_date,
        last_updated_time, sales_staff_id, counterparty_id, units_sold, unit_price, currency_id, design_id,
        agreed_payment_date, agreed_delivery_date, agreed_delivery_location_id HAVING count(*) > 1) repeated`,
  fact_purchase_order: `SELECT count(*)::int AS n FROM (
      SELECT 1 FROM fact_purchase_order GROUP BY purchase_order_id, created_date, created_time, last_updated_date,
        last_updated_time, staff_id, counterparty_id, item_code, item_quantity, item_unit_price, currency_id,
        agreed_delivery_date, agreed_payment_date, agreed_delivery_location_id HAVING count(*) > 1) repeated`,
  fact_payment: `SELECT count(*)::int AS n FROM (
      SELECT 1 FROM fact_payment GROUP BY payment_id, created_date, created_time, last_updated_date,
        last_updated_time, transaction_id, counterparty_id, payment_amount, currency_id, payment_type_id, paid,
        payment_date HAVING count(*) > 1) repeated`,
};
