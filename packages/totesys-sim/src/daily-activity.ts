import type { SourceTableName, TotesysRow } from '@totes/schema';
import { totesysEnums } from '@totes/schema';
import { activityCalendar } from './activity-calendar';
import { multiplyMoney } from './money';
import { formatNaiveTimestamp, hourMs, parseNaiveTimestamp } from './naive-timestamp';
import { orderDraft, type ReferenceLimits } from './order-draft';
import { Random } from './random';
import { totesysProfile } from './totesys-profile';

/** The tables that grow day by day; the others keep their late-2024 rows at every scale. */
export const growingTables = [
  'design',
  'sales_order',
  'purchase_order',
  'transaction',
  'payment',
] as const satisfies readonly SourceTableName[];

/** A table that grows day by day. */
export type GrowingTableName = (typeof growingTables)[number];

/** Options of {@link dailyActivity}. */
export interface ActivityOptions {
  readonly scale: number;
  readonly seed: number;
  /** Sizes of the reference tables new orders point at. */
  readonly limits: Omit<ReferenceLimits, 'design'>;
}

/** How many designs exist before the first order at a scale. */
export function initialDesignCount(scale: number): number {
  return Math.max(1, Math.round(totesysProfile.initialDesigns * scale));
}

const paymentTypeId = (name: (typeof totesysEnums.PaymentTypeName)[number]) =>
  totesysEnums.PaymentTypeName.indexOf(name) + 1;
const salesReceipt = paymentTypeId('SALES_RECEIPT');
const purchasePayment = paymentTypeId('PURCHASE_PAYMENT');

function sortedTimes(random: Random, count: number, startMs: number, endMs: number): Float64Array {
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = random.int(startMs, endMs - 1);
  return times.sort();
}

type OrderRow = TotesysRow<'sales_order'> | TotesysRow<'purchase_order'>;

/**
 * One growing table's rows, one weekday at a time and in creation (= id) order.
 *
 * So a caller can stream them without holding the whole period. Designs made before the first order
 * are not included (see {@link initialDesignCount}).
 *
 * Each day has one random stream for when things happen and one per kind of row for what they
 * hold, so a table can be generated without drafting the others and still match them exactly:
 * every transaction and payment belongs to the order made at its millisecond.
 */
export function* dailyActivity<T extends GrowingTableName>(
  options: ActivityOptions,
  table: T,
): Generator<TotesysRow<T>[]> {
  const { scale, seed } = options;
  const calendar = activityCalendar();
  const openMs = calendar.reduce((sum, w) => sum + (w.endMs - w.startMs), 0);
  const sizes = totesysProfile.growingSizes;
  const perMs = {
    design: ((sizes.design - totesysProfile.initialDesigns) * scale) / openMs,
    sale: (sizes.sales_order * scale) / openMs,
    purchase: (sizes.purchase_order * scale) / openMs,
  };
  const snapshotMs = parseNaiveTimestamp(totesysProfile.snapshotAt);
  const settleMin = totesysProfile.settlementHours.min * hourMs;
  const settleMax = totesysProfile.settlementHours.max * hourMs;
  const spread = totesysProfile.dailySpread;
  const draftsDesigns = table === 'design';
  const draftsSales = table === 'sales_order' || table === 'payment';
  const draftsPurchases = table === 'purchase_order' || table === 'payment';
  const limits = { ...options.limits, design: initialDesignCount(scale) };
  // Fractions of a row carried from day to day, so totals land on the profile's sizes.
  const carry = { design: 0.5, sale: 0.5, purchase: 0.5 };
  let salesOrderId = 0;
  let purchaseOrderId = 0;
  let transactionId = 0;

  for (let day = 0; day < calendar.length; day++) {
    const { startMs, endMs } = calendar[day] as (typeof calendar)[number];
    const when = Random.of(seed, 'day', day);
    const count = (kind: keyof typeof perMs) => {
      const expected = perMs[kind] * (endMs - startMs) * (1 + spread * (2 * when.next() - 1));
      const whole = Math.floor(carry[kind] + expected);
      carry[kind] += expected - whole;
      return whole;
    };
    const designTimes = sortedTimes(when, count('design'), startMs, endMs);
    const saleTimes = sortedTimes(when, count('sale'), startMs, endMs);
    const purchaseTimes = sortedTimes(when, count('purchase'), startMs, endMs);
    const designRandom = Random.of(seed, 'day', day, 'design');
    const saleRandom = Random.of(seed, 'day', day, 'sale');
    const purchaseRandom = Random.of(seed, 'day', day, 'purchase');

    const rows: unknown[] = [];
    let d = 0;
    let s = 0;
    let p = 0;
    while (d < designTimes.length || s < saleTimes.length || p < purchaseTimes.length) {
      const designAt = designTimes[d] ?? Number.POSITIVE_INFINITY;
      const saleAt = saleTimes[s] ?? Number.POSITIVE_INFINITY;
      const purchaseAt = purchaseTimes[p] ?? Number.POSITIVE_INFINITY;
      if (designAt <= saleAt && designAt <= purchaseAt) {
        d++;
        limits.design++;
        if (draftsDesigns) {
          const at = formatNaiveTimestamp(designAt);
          const values = orderDraft.design(designRandom, designAt);
          rows.push({ design_id: limits.design, created_at: at, ...values, last_updated: at });
        }
        continue;
      }
      const isSale = saleAt <= purchaseAt;
      const createdMs = isSale ? saleAt : purchaseAt;
      if (isSale) {
        s++;
        salesOrderId++;
      } else {
        p++;
        purchaseOrderId++;
      }
      transactionId++;
      if (table === 'transaction') {
        const at = formatNaiveTimestamp(createdMs);
        rows.push({
          transaction_id: transactionId,
          transaction_type: isSale ? 'SALE' : 'PURCHASE',
          sales_order_id: isSale ? salesOrderId : null,
          purchase_order_id: isSale ? null : purchaseOrderId,
          created_at: at,
          last_updated: at,
        } satisfies TotesysRow<'transaction'>);
        continue;
      }
      if (!(isSale ? draftsSales : draftsPurchases)) continue;
      const at = formatNaiveTimestamp(createdMs);
      const random = isSale ? saleRandom : purchaseRandom;
      let order: OrderRow;
      let amount: string;
      if (isSale) {
        const values = orderDraft.salesOrder(random, limits, createdMs);
        order = { sales_order_id: salesOrderId, created_at: at, last_updated: at, ...values };
        amount = multiplyMoney(values.units_sold, values.unit_price);
      } else {
        const values = orderDraft.purchaseOrder(random, limits, createdMs);
        order = { purchase_order_id: purchaseOrderId, created_at: at, last_updated: at, ...values };
        amount = multiplyMoney(values.item_quantity, values.item_unit_price);
      }
      const settledMs = createdMs + random.int(settleMin, settleMax);
      const accounts = orderDraft.accounts(random);
      if (table !== 'payment') {
        rows.push(order);
        continue;
      }
      const paidAt = settledMs < snapshotMs ? formatNaiveTimestamp(settledMs) : null;
      rows.push({
        payment_id: transactionId,
        created_at: at,
        last_updated: paidAt ?? at,
        transaction_id: transactionId,
        counterparty_id: order.counterparty_id,
        payment_amount: amount,
        currency_id: order.currency_id,
        payment_type_id: isSale ? salesReceipt : purchasePayment,
        paid: paidAt !== null,
        // Until it is paid, a payment carries the date it is expected on.
        payment_date: paidAt === null ? order.agreed_payment_date : paidAt.slice(0, 10),
        ...accounts,
      } satisfies TotesysRow<'payment'>);
    }
    yield rows as TotesysRow<T>[];
  }
}
