import { describe, expect, it } from 'vitest';
import { type TargetTableName, warehouseRowSchemas } from '../src/index';
import validRows from './fixtures/warehouse-rows.json' with { type: 'json' };

const tableNames = Object.keys(warehouseRowSchemas) as TargetTableName[];

function validRowWith(table: TargetTableName, column: string, value: unknown): Record<string, unknown> {
  return { ...validRows[table], [column]: value };
}

describe('warehouseRowSchemas', () => {
  it('declares the three facts and eight dimensions', () => {
    expect(tableNames).toEqual([
      'fact_sales_order',
      'fact_purchase_order',
      'fact_payment',
      'dim_date',
      'dim_staff',
      'dim_location',
      'dim_currency',
      'dim_design',
      'dim_counterparty',
      'dim_transaction',
      'dim_payment_type',
    ]);
  });

  it.each(tableNames)('parses a valid %s row unchanged', (table) => {
    const row = validRows[table];

    const parsed = warehouseRowSchemas[table].parse(row);

    expect(parsed).toEqual(row);
  });

  it('rejects a numeric amount given as a float', () => {
    const row = validRowWith('fact_payment', 'payment_amount', 552548.62);

    const result = warehouseRowSchemas.fact_payment.safeParse(row);

    expect(result.success).toBe(false);
  });

  it.each(['552548.6', '552548', '552548.625'])(
    'keeps an unconstrained numeric such as %s exact',
    (amount) => {
      const row = validRowWith('fact_payment', 'payment_amount', amount);

      const parsed = warehouseRowSchemas.fact_payment.parse(row);

      expect(parsed.payment_amount).toBe(amount);
    },
  );

  it.each(['14:20:52', '14:20:52.1', '14:20:52.186+00', '24:00:00.000', '2022-11-03 14:20:52.186'])(
    'rejects the time %s',
    (time) => {
      const row = validRowWith('fact_sales_order', 'created_time', time);

      const result = warehouseRowSchemas.fact_sales_order.safeParse(row);

      expect(result.success).toBe(false);
    },
  );

  it.each(['2022-11-03T00:00:00.000Z', '2022-11-31', '20221103'])('rejects the date %s', (date) => {
    const row = validRowWith('fact_sales_order', 'created_date', date);

    const result = warehouseRowSchemas.fact_sales_order.safeParse(row);

    expect(result.success).toBe(false);
  });

  it('rejects NULL in a NOT NULL column', () => {
    const row = validRowWith('dim_currency', 'currency_name', null);

    const result = warehouseRowSchemas.dim_currency.safeParse(row);

    expect(result.success).toBe(false);
  });

  it('accepts NULL for a transaction that has no sales order', () => {
    const row = validRowWith('dim_transaction', 'sales_order_id', null);

    const result = warehouseRowSchemas.dim_transaction.safeParse(row);

    expect(result.success).toBe(true);
  });
});
