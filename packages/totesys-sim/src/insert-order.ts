import { totesysEnums } from '@totes/schema';
import type pg from 'pg';
import { inTransaction } from './in-transaction';
import { insertRow } from './insert-row';
import { multiplyMoney } from './money';
import { addDays, naiveTimestampOf } from './naive-timestamp';
import {
  type AccountNumbers,
  orderDraft,
  type PurchaseOrderValues,
  type SalesOrderValues,
} from './order-draft';
import { Random } from './random';

/** Options of {@link insertSalesOrder} and {@link insertPurchaseOrder}. */
export interface InsertOptions {
  /** When the rows are created, as naive `timestamp(3)` text; default: now, UTC wall time. */
  readonly at?: string;
  /** The payment's account numbers; drawn from a stream seeded by `at` when absent. */
  readonly accounts?: AccountNumbers;
  /**
   * Whether the function runs its own BEGIN/COMMIT (the default). Pass false to insert inside a
   * transaction the caller holds, e.g. to commit it late.
   */
  readonly ownTransaction?: boolean;
}

/** The ids of an order and of the transaction and payment it created. */
export interface InsertedOrder {
  readonly orderId: number;
  readonly transactionId: number;
  readonly paymentId: number;
  /** The creation time of all three rows. */
  readonly at: string;
}

interface OrderSpec {
  readonly kind: (typeof totesysEnums.TransactionType)[number];
  readonly paymentType: (typeof totesysEnums.PaymentTypeName)[number];
  readonly amount: string;
  readonly counterpartyId: number;
  readonly currencyId: number;
  readonly agreedPaymentDate: string;
  insert(at: string): Promise<number>;
}

async function insertOrder(
  client: pg.ClientBase,
  spec: OrderSpec,
  options: InsertOptions,
): Promise<InsertedOrder> {
  const at = options.at ?? naiveTimestampOf(new Date());
  const accounts = options.accounts ?? orderDraft.accounts(Random.of(0, 'accounts', at));
  return await inTransaction(client, options.ownTransaction ?? true, async () => {
    const orderId = await spec.insert(at);
    const isSale = spec.kind === 'SALE';
    const transactionId = await insertRow(client, 'transaction', {
      transaction_type: spec.kind,
      sales_order_id: isSale ? orderId : null,
      purchase_order_id: isSale ? null : orderId,
      created_at: at,
      last_updated: at,
    });
    const paymentId = await insertRow(client, 'payment', {
      created_at: at,
      last_updated: at,
      transaction_id: transactionId,
      counterparty_id: spec.counterpartyId,
      payment_amount: spec.amount,
      currency_id: spec.currencyId,
      payment_type_id: totesysEnums.PaymentTypeName.indexOf(spec.paymentType) + 1,
      paid: false,
      payment_date: spec.agreedPaymentDate,
      ...accounts,
    });
    return { orderId, transactionId, paymentId, at };
  });
}

/** The values a sales order gets when the caller does not give them (ids of the first rows). */
function salesOrderDefaults(at: string): SalesOrderValues {
  const day = at.slice(0, 10);
  return {
    design_id: 1,
    staff_id: 1,
    counterparty_id: 1,
    units_sold: 1000,
    unit_price: '2.50',
    currency_id: 1,
    agreed_delivery_date: addDays(day, 3),
    agreed_payment_date: addDays(day, 5),
    agreed_delivery_location_id: 1,
  };
}

/** The values a purchase order gets when the caller does not give them (ids of the first rows). */
function purchaseOrderDefaults(at: string): PurchaseOrderValues {
  const day = at.slice(0, 10);
  return {
    staff_id: 1,
    counterparty_id: 1,
    item_code: 'ZDOI5EA',
    item_quantity: 10,
    item_unit_price: '100.00',
    currency_id: 1,
    agreed_delivery_date: addDays(day, 3),
    agreed_payment_date: addDays(day, 5),
    agreed_delivery_location_id: 1,
  };
}

/**
 * Inserts a sales order as totesys does.
 *
 * The order, its SALE transaction and its unpaid SALES_RECEIPT payment (amount = units × price), in
 * one transaction, all three created at the same millisecond, ids from the sequences. Values not
 * given take fixed defaults.
 */
export async function insertSalesOrder(
  client: pg.ClientBase,
  values: Partial<SalesOrderValues> = {},
  options: InsertOptions = {},
): Promise<InsertedOrder> {
  const at = options.at ?? naiveTimestampOf(new Date());
  const order = { ...salesOrderDefaults(at), ...values };
  return await insertOrder(
    client,
    {
      kind: 'SALE',
      paymentType: 'SALES_RECEIPT',
      amount: multiplyMoney(order.units_sold, order.unit_price),
      counterpartyId: order.counterparty_id,
      currencyId: order.currency_id,
      agreedPaymentDate: order.agreed_payment_date,
      insert: (created) =>
        insertRow(client, 'sales_order', { ...order, created_at: created, last_updated: created }),
    },
    { ...options, at },
  );
}

/**
 * Inserts a purchase order as totesys does.
 *
 * The order, its PURCHASE transaction and its unpaid PURCHASE_PAYMENT payment (amount = quantity ×
 * unit price), in one transaction, all three created at the same millisecond, ids from the
 * sequences. Values not given take fixed defaults.
 */
export async function insertPurchaseOrder(
  client: pg.ClientBase,
  values: Partial<PurchaseOrderValues> = {},
  options: InsertOptions = {},
): Promise<InsertedOrder> {
  const at = options.at ?? naiveTimestampOf(new Date());
  const order = { ...purchaseOrderDefaults(at), ...values };
  return await insertOrder(
    client,
    {
      kind: 'PURCHASE',
      paymentType: 'PURCHASE_PAYMENT',
      amount: multiplyMoney(order.item_quantity, order.item_unit_price),
      counterpartyId: order.counterparty_id,
      currencyId: order.currency_id,
      agreedPaymentDate: order.agreed_payment_date,
      insert: (created) =>
        insertRow(client, 'purchase_order', { ...order, created_at: created, last_updated: created }),
    },
    { ...options, at },
  );
}
