import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { splitTimestamp } from '../split-timestamp';

/**
 * One sales_order version as a fact_sales_order row.
 *
 * Timestamps split into date and time, `staff_id` renamed `sales_staff_id`, everything else kept
 * (the agreed dates are already `YYYY-MM-DD` text, which is the warehouse's date form).
 */
export function mapFactSalesOrder(row: TotesysRow<'sales_order'>): OutputRow<'fact_sales_order'> {
  const created = splitTimestamp(row.created_at);
  const updated = splitTimestamp(row.last_updated);
  return {
    sales_order_id: row.sales_order_id,
    created_date: created.date,
    created_time: created.time,
    last_updated_date: updated.date,
    last_updated_time: updated.time,
    sales_staff_id: row.staff_id,
    counterparty_id: row.counterparty_id,
    units_sold: row.units_sold,
    unit_price: row.unit_price,
    currency_id: row.currency_id,
    design_id: row.design_id,
    agreed_payment_date: row.agreed_payment_date,
    agreed_delivery_date: row.agreed_delivery_date,
    agreed_delivery_location_id: row.agreed_delivery_location_id,
  };
}
