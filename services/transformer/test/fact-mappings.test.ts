import { describe, expect, it } from 'vitest';
import { mapDimTransaction } from '../src/mappings/map-dim-transaction';
import { mapFactPayment } from '../src/mappings/map-fact-payment';
import { mapFactPurchaseOrder } from '../src/mappings/map-fact-purchase-order';
import { mapFactSalesOrder } from '../src/mappings/map-fact-sales-order';
import { outputColumns } from '../src/output-row';
import { splitTimestamp } from '../src/split-timestamp';
import { expectedFactSalesOrder, fixtureRow } from './fixtures';

describe('splitTimestamp', () => {
  it('splits a naive timestamp into its date and its time, keeping the milliseconds', () => {
    expect(splitTimestamp('2022-11-03 14:20:52.186')).toEqual({ date: '2022-11-03', time: '14:20:52.186' });
  });

  it('converts no zone: the last millisecond of a year stays in that year', () => {
    expect(splitTimestamp('2023-12-31 23:59:59.007')).toEqual({ date: '2023-12-31', time: '23:59:59.007' });
    expect(splitTimestamp('2024-01-01 00:00:00.000')).toEqual({ date: '2024-01-01', time: '00:00:00.000' });
  });
});

describe('mapFactSalesOrder', () => {
  it('splits both timestamps, renames staff_id to sales_staff_id and keeps the rest', () => {
    expect(mapFactSalesOrder(fixtureRow('sales_order', 0))).toEqual(expectedFactSalesOrder[0]);
  });

  it('keeps a created and a last-updated date that differ, and a leap day', () => {
    expect(mapFactSalesOrder(fixtureRow('sales_order', 1))).toEqual(expectedFactSalesOrder[1]);
  });

  it('gives exactly the columns of fact_sales_order in warehouse order, without sales_record_id', () => {
    expect(Object.keys(mapFactSalesOrder(fixtureRow('sales_order', 0)))).toEqual(
      outputColumns('fact_sales_order').map((column) => column.name),
    );
    expect(outputColumns('fact_sales_order').map((column) => column.name)).not.toContain('sales_record_id');
  });
});

describe('mapFactPurchaseOrder', () => {
  it('splits both timestamps and keeps staff_id and the item columns by name', () => {
    expect(mapFactPurchaseOrder(fixtureRow('purchase_order', 0))).toEqual({
      purchase_order_id: 1,
      created_date: '2022-11-03',
      created_time: '14:20:52.187',
      last_updated_date: '2022-11-04',
      last_updated_time: '08:01:02.030',
      staff_id: 2,
      counterparty_id: 1,
      item_code: 'ZDOI5EA',
      item_quantity: 371,
      item_unit_price: '361.39',
      currency_id: 3,
      agreed_delivery_date: '2022-11-09',
      agreed_payment_date: '2022-11-07',
      agreed_delivery_location_id: 2,
    });
  });

  it('gives exactly the columns of fact_purchase_order in warehouse order, without purchase_record_id', () => {
    expect(Object.keys(mapFactPurchaseOrder(fixtureRow('purchase_order', 0)))).toEqual(
      outputColumns('fact_purchase_order').map((column) => column.name),
    );
  });
});

describe('mapFactPayment', () => {
  it('splits both timestamps and drops the two account numbers', () => {
    expect(mapFactPayment(fixtureRow('payment', 1))).toEqual({
      payment_id: 3,
      created_date: '2022-11-03',
      created_time: '14:20:52.186',
      last_updated_date: '2022-11-09',
      last_updated_time: '10:15:00.999',
      transaction_id: 2,
      counterparty_id: 1,
      payment_amount: '0.05',
      currency_id: 2,
      payment_type_id: 1,
      paid: true,
      payment_date: '2022-11-09',
    });
  });

  it('keeps an unpaid payment unpaid', () => {
    expect(mapFactPayment(fixtureRow('payment', 0))).toMatchObject({ payment_id: 2, paid: false });
  });

  it('gives exactly the columns of fact_payment in warehouse order, without payment_record_id', () => {
    const columns = Object.keys(mapFactPayment(fixtureRow('payment', 0)));
    expect(columns).toEqual(outputColumns('fact_payment').map((column) => column.name));
    expect(columns).not.toContain('company_ac_number');
    expect(columns).not.toContain('counterparty_ac_number');
  });
});

describe('mapDimTransaction', () => {
  it('keeps a purchase transaction with a NULL sales order', () => {
    expect(mapDimTransaction(fixtureRow('transaction', 0))).toEqual({
      transaction_id: 1,
      transaction_type: 'PURCHASE',
      sales_order_id: null,
      purchase_order_id: 1,
    });
  });

  it('keeps a sale transaction with a NULL purchase order', () => {
    expect(mapDimTransaction(fixtureRow('transaction', 1))).toEqual({
      transaction_id: 2,
      transaction_type: 'SALE',
      sales_order_id: 2,
      purchase_order_id: null,
    });
  });
});
