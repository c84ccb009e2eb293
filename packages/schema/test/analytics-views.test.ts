import { readFile } from 'node:fs/promises';
import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyticsViews, readDdl, warehouseRowSchemas as warehouseTables } from '../src/index';
import { readTables } from './catalog';

const database = useTestDatabase('analytics');
let client: pg.Client;

const fixture = new URL('./fixtures/analytics-warehouse.sql', import.meta.url);

beforeAll(async () => {
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(await readDdl('warehouse'));
  await client.query(await readDdl('analytics'));
  await client.query("SET fixture.sales_orders = '400'");
  await client.query(await readFile(fixture, 'utf8'));
  await client.query('SELECT analytics.refresh()');
});

afterAll(async () => {
  await client?.end();
});

/** Rows of `a` not in `b` and of `b` not in `a` (with duplicates), as one list: empty when equal. */
async function difference(a: string, b: string): Promise<unknown[]> {
  const { rows } = await client.query(
    `(SELECT 'only in view' AS side, * FROM (${a} EXCEPT ALL ${b}) AS x)
     UNION ALL
     (SELECT 'only in check' AS side, * FROM (${b} EXCEPT ALL ${a}) AS y)
     LIMIT 5`,
  );
  return rows;
}

// The independent computations: the current version of each order or payment found by an
// anti-join (no version of it is newer), not by DISTINCT ON as in the views, and the dimensions
// joined afresh.
const currentSales = `
  SELECT f.* FROM public.fact_sales_order f
   WHERE NOT EXISTS (SELECT 1 FROM public.fact_sales_order n
                      WHERE n.sales_order_id = f.sales_order_id
                        AND (n.last_updated_date, n.last_updated_time, n.sales_record_id)
                          > (f.last_updated_date, f.last_updated_time, f.sales_record_id))`;
const currentPurchases = `
  SELECT f.* FROM public.fact_purchase_order f
   WHERE NOT EXISTS (SELECT 1 FROM public.fact_purchase_order n
                      WHERE n.purchase_order_id = f.purchase_order_id
                        AND (n.last_updated_date, n.last_updated_time, n.purchase_record_id)
                          > (f.last_updated_date, f.last_updated_time, f.purchase_record_id))`;
const currentPayments = `
  SELECT f.* FROM public.fact_payment f
   WHERE NOT EXISTS (SELECT 1 FROM public.fact_payment n
                      WHERE n.payment_id = f.payment_id
                        AND (n.last_updated_date, n.last_updated_time, n.payment_record_id)
                          > (f.last_updated_date, f.last_updated_time, f.payment_record_id))`;
const month = (column: string) =>
  `make_date(extract(year FROM ${column})::int, extract(month FROM ${column})::int, 1)`;

describe('sql/analytics.sql', () => {
  it('creates exactly the declared views, with the declared columns and types', async () => {
    const { rows } = await client.query<{ view: string; column: string; type: string }>(
      `SELECT c.relname AS view, a.attname AS column, regexp_replace(format_type(a.atttypid, a.atttypmod), '\\(.*\\)$', '') AS type
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        WHERE n.nspname = 'analytics' AND c.relkind IN ('v', 'm')
        ORDER BY c.relname, a.attnum`,
    );
    const actual: Record<string, Record<string, string>> = {};
    for (const row of rows) actual[row.view] = { ...actual[row.view], [row.column]: row.type };

    expect(actual).toEqual(analyticsViews);
    expect(Object.keys(actual.sales_order ?? {})).toEqual(Object.keys(analyticsViews.sales_order));
  });

  it('documents every view and every column with COMMENT ON', async () => {
    const { rows } = await client.query<{ missing: string }>(
      `SELECT c.relname || coalesce('.' || a.attname, '') AS missing
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0
        WHERE n.nspname = 'analytics' AND c.relkind IN ('v', 'm')
          AND coalesce(col_description(c.oid, a.attnum), CASE WHEN a.attnum IS NULL THEN obj_description(c.oid, 'pg_class') END) IS NULL
       UNION ALL
       SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'analytics' AND c.relkind IN ('v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL`,
    );

    expect(rows.map((row) => row.missing)).toEqual([]);
  });

  it('adds nothing to public, and applies again without error', async () => {
    await client.query(await readDdl('analytics'));
    const { rows } = await client.query(
      "SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND relkind IN ('v', 'm')",
    );

    expect(await readTables(client, 'public')).toEqual(Object.keys(warehouseTables).sort());
    expect(rows).toEqual([]);
  });

  it('holds the fixture with several versions of some rows, so the checks below can fail', async () => {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM public.fact_sales_order) - (SELECT count(DISTINCT sales_order_id) FROM public.fact_sales_order) AS sales,
              (SELECT count(*) FROM public.fact_payment) - (SELECT count(DISTINCT payment_id) FROM public.fact_payment) AS payments,
              (SELECT count(*) FROM (SELECT sales_order_id FROM public.fact_sales_order
                GROUP BY sales_order_id, last_updated_date, last_updated_time HAVING count(*) > 1) AS s) AS silent`,
    );

    expect(rows[0]).toEqual({
      sales: expect.not.stringMatching(/^0$/),
      payments: expect.not.stringMatching(/^0$/),
      silent: expect.not.stringMatching(/^0$/),
    });
  });

  it('analytics.sales_order holds the current version of each sales order, with names', async () => {
    const check = `
      SELECT f.sales_order_id, f.created_date, ${month('f.created_date')} AS created_month, f.last_updated_date,
             f.units_sold, f.unit_price, round(f.units_sold * f.unit_price, 2) AS order_value, f.currency_id,
             c.currency_code::text, f.design_id, d.design_name::text, f.sales_staff_id,
             concat_ws(' ', s.first_name, s.last_name), s.department_name::text, f.counterparty_id,
             cp.counterparty_legal_name::text, f.agreed_delivery_location_id, l.city::text, l.country::text,
             f.agreed_delivery_date, f.agreed_payment_date, f.agreed_delivery_date - f.created_date
        FROM (${currentSales}) f, public.dim_currency c, public.dim_design d, public.dim_staff s,
             public.dim_counterparty cp, public.dim_location l
       WHERE c.currency_id = f.currency_id AND d.design_id = f.design_id AND s.staff_id = f.sales_staff_id
         AND cp.counterparty_id = f.counterparty_id AND l.location_id = f.agreed_delivery_location_id`;

    expect(await difference('SELECT * FROM analytics.sales_order', check)).toEqual([]);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM analytics.sales_order');
    expect(rows[0].n).toBe(400);
  });

  it('analytics.purchase_order holds the current version of each purchase order, with names', async () => {
    const check = `
      SELECT f.purchase_order_id, f.created_date, ${month('f.created_date')}, f.last_updated_date, f.item_code::text,
             f.item_quantity, f.item_unit_price, round(f.item_quantity * f.item_unit_price, 2), f.currency_id,
             c.currency_code::text, f.staff_id, concat_ws(' ', s.first_name, s.last_name), f.counterparty_id,
             cp.counterparty_legal_name::text, f.agreed_delivery_location_id, l.city::text, l.country::text,
             f.agreed_delivery_date, f.agreed_payment_date, NOT (f.agreed_delivery_date >= current_date)
        FROM (${currentPurchases}) f, public.dim_currency c, public.dim_staff s, public.dim_counterparty cp,
             public.dim_location l
       WHERE c.currency_id = f.currency_id AND s.staff_id = f.staff_id AND cp.counterparty_id = f.counterparty_id
         AND l.location_id = f.agreed_delivery_location_id`;

    expect(await difference('SELECT * FROM analytics.purchase_order', check)).toEqual([]);
  });

  it('analytics.payment holds the current version of each payment, with its status', async () => {
    const check = `
      SELECT f.payment_id, f.created_date, f.last_updated_date, f.payment_date, ${month('f.payment_date')},
             f.payment_amount, f.currency_id, c.currency_code::text, f.payment_type_id, pt.payment_type_name::text,
             f.paid, CASE WHEN f.paid THEN 'paid' WHEN f.payment_date >= current_date THEN 'due' ELSE 'overdue' END,
             f.counterparty_id, cp.counterparty_legal_name::text, f.transaction_id, t.transaction_type::text
        FROM (${currentPayments}) f, public.dim_currency c, public.dim_payment_type pt, public.dim_counterparty cp,
             public.dim_transaction t
       WHERE c.currency_id = f.currency_id AND pt.payment_type_id = f.payment_type_id
         AND cp.counterparty_id = f.counterparty_id AND t.transaction_id = f.transaction_id`;

    expect(await difference('SELECT * FROM analytics.payment', check)).toEqual([]);
  });

  it('counts a payment with two versions once, as paid', async () => {
    const { rows } = await client.query(
      `SELECT (SELECT count(*) FROM public.fact_payment WHERE payment_id = 2)::int AS versions,
              (SELECT sum(payments)::int FROM analytics.payments_by_status) AS payments,
              (SELECT count(DISTINCT payment_id)::int FROM public.fact_payment) AS distinct_payments,
              (SELECT status FROM analytics.payment WHERE payment_id = 2) AS status`,
    );

    expect(rows[0]).toEqual({
      versions: 2,
      payments: rows[0].distinct_payments,
      distinct_payments: 568,
      status: 'paid',
    });
  });

  it('brings every view up to date on refresh: a payment settled since counts as paid, once', async () => {
    const before = await client.query(
      'SELECT status FROM analytics.payment WHERE payment_id = 1 UNION ALL SELECT sum(payments)::text FROM analytics.payments_by_status',
    );
    await client.query(
      `INSERT INTO public.fact_payment (payment_id, created_date, created_time, last_updated_date, last_updated_time,
              transaction_id, counterparty_id, payment_amount, currency_id, payment_type_id, paid, payment_date)
       SELECT payment_id, created_date, created_time, last_updated_date + 1, last_updated_time, transaction_id,
              counterparty_id, payment_amount, currency_id, payment_type_id, true, last_updated_date + 1
         FROM public.fact_payment WHERE payment_id = 1`,
    );
    const stale = await client.query('SELECT status FROM analytics.payment WHERE payment_id = 1');
    await client.query('SELECT analytics.refresh()');
    const after = await client.query(
      'SELECT status FROM analytics.payment WHERE payment_id = 1 UNION ALL SELECT sum(payments)::text FROM analytics.payments_by_status',
    );

    expect(before.rows.map((row) => row.status)).toEqual(['overdue', '568']);
    expect(stale.rows).toEqual([{ status: 'overdue' }]);
    expect(after.rows.map((row) => row.status)).toEqual(['paid', '568']);
  });

  const salesAggregates = [
    ['sales_by_month', '', ', sum(f.agreed_delivery_date - f.created_date)'],
    ['sales_by_design', ', f.design_id, d.design_name::text', ''],
    ['sales_by_location', ', l.country::text, l.city::text', ''],
    [
      'sales_by_staff',
      ", f.sales_staff_id, concat_ws(' ', s.first_name, s.last_name), s.department_name::text",
      '',
    ],
    ['sales_by_customer', ', f.counterparty_id, cp.counterparty_legal_name::text', ''],
  ] as const;

  it.each(salesAggregates)(
    'analytics.%s sums the current sales orders per month and currency',
    async (view, keys, extra) => {
      const check = `
      SELECT ${month('f.created_date')}, c.currency_code::text ${keys},
             count(*)::int, sum(f.units_sold), sum(round(f.units_sold * f.unit_price, 2)) ${extra}
        FROM (${currentSales}) f
        JOIN public.dim_currency c USING (currency_id)
        JOIN public.dim_design d USING (design_id)
        JOIN public.dim_staff s ON s.staff_id = f.sales_staff_id
        JOIN public.dim_counterparty cp USING (counterparty_id)
        JOIN public.dim_location l ON l.location_id = f.agreed_delivery_location_id
       GROUP BY 1, 2 ${keys}`;

      expect(await difference(`SELECT * FROM analytics.${view}`, check)).toEqual([]);
    },
  );

  it('analytics.purchases_by_supplier sums the current purchase orders, open and delivered', async () => {
    const check = `
      SELECT ${month('f.created_date')}, c.currency_code::text, f.counterparty_id, cp.counterparty_legal_name::text,
             f.item_code::text, count(*)::int, sum(CASE WHEN f.agreed_delivery_date >= current_date THEN 1 ELSE 0 END)::int,
             sum(CASE WHEN f.agreed_delivery_date < current_date THEN 1 ELSE 0 END)::int,
             sum(f.item_quantity), sum(round(f.item_quantity * f.item_unit_price, 2))
        FROM (${currentPurchases}) f
        JOIN public.dim_currency c USING (currency_id)
        JOIN public.dim_counterparty cp USING (counterparty_id)
       GROUP BY 1, 2, 3, 4, 5`;

    expect(await difference('SELECT * FROM analytics.purchases_by_supplier', check)).toEqual([]);
  });

  it('analytics.payments_by_status sums the current payments by type, status and counterparty', async () => {
    const check = `
      SELECT ${month('f.payment_date')}, c.currency_code::text, pt.payment_type_name::text,
             CASE WHEN f.paid THEN 'paid' WHEN f.payment_date >= current_date THEN 'due' ELSE 'overdue' END,
             f.counterparty_id, cp.counterparty_legal_name::text, count(*)::int, sum(f.payment_amount)
        FROM (${currentPayments}) f
        JOIN public.dim_currency c USING (currency_id)
        JOIN public.dim_payment_type pt USING (payment_type_id)
        JOIN public.dim_counterparty cp USING (counterparty_id)
       GROUP BY 1, 2, 3, 4, 5, 6`;

    expect(await difference('SELECT * FROM analytics.payments_by_status', check)).toEqual([]);
  });
});
