import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';

/** One transaction as a dim_transaction row: the type as text, the order ids as integers or NULL. */
export function mapDimTransaction(row: TotesysRow<'transaction'>): OutputRow<'dim_transaction'> {
  return {
    transaction_id: row.transaction_id,
    transaction_type: row.transaction_type,
    sales_order_id: row.sales_order_id,
    purchase_order_id: row.purchase_order_id,
  };
}
