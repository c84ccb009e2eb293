import type pg from 'pg';
import { naiveTimestampOf } from './naive-timestamp';

/** Which payments {@link settlePayments} settles, and when. */
export interface SettleOptions {
  /** The settlement time, naive `timestamp(3)` text; default: now, UTC wall time. */
  readonly at?: string;
  /** Only payments with these ids. */
  readonly paymentIds?: readonly number[];
  /** Only payments created at or before this naive timestamp. */
  readonly createdBefore?: string;
}

/**
 * Settles unpaid payments as totesys does.
 *
 * `paid` becomes true, `payment_date` the settlement day and `last_updated` the settlement time.
 * Without a filter every unpaid payment is settled. Returns the ids settled, ascending.
 */
export async function settlePayments(client: pg.ClientBase, options: SettleOptions = {}): Promise<number[]> {
  const at = options.at ?? naiveTimestampOf(new Date());
  const { rows } = await client.query<{ payment_id: number }>(
    `UPDATE payment SET paid = true, payment_date = $1, last_updated = $2
      WHERE NOT paid
        AND ($3::int[] IS NULL OR payment_id = ANY ($3::int[]))
        AND ($4::timestamp(3) IS NULL OR created_at <= $4::timestamp(3))
      RETURNING payment_id`,
    [at.slice(0, 10), at, options.paymentIds ?? null, options.createdBefore ?? null],
  );
  return rows.map((r) => r.payment_id).sort((a, b) => a - b);
}
