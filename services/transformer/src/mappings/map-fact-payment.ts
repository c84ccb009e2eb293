import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';
import { splitTimestamp } from '../split-timestamp';

/**
 * One payment version as a fact_payment row.
 *
 * Timestamps split into date and time, the two account numbers dropped (the warehouse does not hold
 * them).
 */
export function mapFactPayment(row: TotesysRow<'payment'>): OutputRow<'fact_payment'> {
  const created = splitTimestamp(row.created_at);
  const updated = splitTimestamp(row.last_updated);
  return {
    payment_id: row.payment_id,
    created_date: created.date,
    created_time: created.time,
    last_updated_date: updated.date,
    last_updated_time: updated.time,
    transaction_id: row.transaction_id,
    counterparty_id: row.counterparty_id,
    payment_amount: row.payment_amount,
    currency_id: row.currency_id,
    payment_type_id: row.payment_type_id,
    paid: row.paid,
    payment_date: row.payment_date,
  };
}
