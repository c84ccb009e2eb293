import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { splitTimestamp } from '../split-timestamp';

/**
 * One purchase_order version as a fact_purchase_order row.
 *
 * Timestamps split into date and time; `staff_id`, the item columns and the agreed dates keep their
 * names.
 */
export function mapFactPurchaseOrder(row: TotesysRow<'purchase_order'>): OutputRow<'fact_purchase_order'> {
  const created = splitTimestamp(row.created_at);
  const updated = splitTimestamp(row.last_updated);
  return {
    purchase_order_id: row.purchase_order_id,
    created_date: created.date,
    created_time: created.time,
    last_updated_date: updated.date,
    last_updated_time: updated.time,
    staff_id: row.staff_id,
    counterparty_id: row.counterparty_id,
    item_code: row.item_code,
    item_quantity: row.item_quantity,
    item_unit_price: row.item_unit_price,
    currency_id: row.currency_id,
    agreed_delivery_date: row.agreed_delivery_date,
    agreed_payment_date: row.agreed_payment_date,
    agreed_delivery_location_id: row.agreed_delivery_location_id,
  };
}
