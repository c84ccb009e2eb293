import type { TotesysRow } from '@totes/schema';
import type { OutputRow } from '../output-row';

/** Every payment type as dim_payment_type rows, the enum label kept as text. */
export function mapDimPaymentType(
  paymentTypes: readonly TotesysRow<'payment_type'>[],
): OutputRow<'dim_payment_type'>[] {
  return paymentTypes.map((row) => ({
    payment_type_id: row.payment_type_id,
    payment_type_name: row.payment_type_name,
  }));
}
