import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnSpecs, columnsOf, readDdl, warehouseRowSchemas } from '../src/index';
import { readColumns, readForeignKeys, readPrimaryKeys, readSecondaryIndexes, readTables } from './catalog';
import { columnDrift } from './column-drift';

const database = useTestDatabase('schema');
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(await readDdl('warehouse'));
});

afterAll(async () => {
  await client?.end();
});

/** Everything the DDL defines, as the catalog reports it. */
async function readStarSchema(): Promise<unknown> {
  const tables = await readTables(client, 'public');
  const columns = [];
  for (const table of tables) columns.push(await readColumns(client, 'public', table));
  return {
    tables,
    columns,
    primaryKeys: await readPrimaryKeys(client, 'public'),
    foreignKeys: await readForeignKeys(client, 'public'),
    indexes: await readSecondaryIndexes(client, 'public'),
  };
}

describe('sql/warehouse.sql', () => {
  it.each(Object.entries(warehouseRowSchemas))(
    'creates %s with exactly the columns its zod schema declares',
    async (name, table) => {
      const actual = await readColumns(client, 'public', name);

      expect(columnDrift(name, columnSpecs(table), actual)).toEqual([]);
    },
  );

  it('creates the declared tables in public, nothing else', async () => {
    const tables = await readTables(client, 'public');

    expect(tables).toEqual(Object.keys(warehouseRowSchemas).sort());
  });

  it('keys every table by its first column', async () => {
    const keys = await readPrimaryKeys(client, 'public');

    const expected = Object.entries(warehouseRowSchemas).map(
      ([name, table]) => `${name}(${columnsOf(table)[0]})`,
    );
    expect(keys).toEqual(expected.sort());
  });

  it('references a dimension from every fact date and id', async () => {
    const foreignKeys = await readForeignKeys(client, 'public');

    const rule = 'ON UPDATE NO ACTION ON DELETE NO ACTION';
    expect(foreignKeys).toEqual([
      `fact_payment.counterparty_id → dim_counterparty.counterparty_id ${rule}`,
      `fact_payment.created_date → dim_date.date_id ${rule}`,
      `fact_payment.currency_id → dim_currency.currency_id ${rule}`,
      `fact_payment.last_updated_date → dim_date.date_id ${rule}`,
      `fact_payment.payment_date → dim_date.date_id ${rule}`,
      `fact_payment.payment_type_id → dim_payment_type.payment_type_id ${rule}`,
      `fact_payment.transaction_id → dim_transaction.transaction_id ${rule}`,
      `fact_purchase_order.agreed_delivery_date → dim_date.date_id ${rule}`,
      `fact_purchase_order.agreed_delivery_location_id → dim_location.location_id ${rule}`,
      `fact_purchase_order.agreed_payment_date → dim_date.date_id ${rule}`,
      `fact_purchase_order.counterparty_id → dim_counterparty.counterparty_id ${rule}`,
      `fact_purchase_order.created_date → dim_date.date_id ${rule}`,
      `fact_purchase_order.currency_id → dim_currency.currency_id ${rule}`,
      `fact_purchase_order.last_updated_date → dim_date.date_id ${rule}`,
      `fact_purchase_order.staff_id → dim_staff.staff_id ${rule}`,
      `fact_sales_order.agreed_delivery_date → dim_date.date_id ${rule}`,
      `fact_sales_order.agreed_delivery_location_id → dim_location.location_id ${rule}`,
      `fact_sales_order.agreed_payment_date → dim_date.date_id ${rule}`,
      `fact_sales_order.counterparty_id → dim_counterparty.counterparty_id ${rule}`,
      `fact_sales_order.created_date → dim_date.date_id ${rule}`,
      `fact_sales_order.currency_id → dim_currency.currency_id ${rule}`,
      `fact_sales_order.design_id → dim_design.design_id ${rule}`,
      `fact_sales_order.last_updated_date → dim_date.date_id ${rule}`,
      `fact_sales_order.sales_staff_id → dim_staff.staff_id ${rule}`,
    ]);
  });

  it('indexes each fact by the natural id of its source row', async () => {
    const indexes = await readSecondaryIndexes(client, 'public');

    expect(indexes).toEqual([
      'fact_payment(payment_id)',
      'fact_purchase_order(purchase_order_id)',
      'fact_sales_order(sales_order_id)',
    ]);
  });

  it('changes nothing, and keeps the data, when applied again from another search_path', async () => {
    const before = await readStarSchema();
    await client.query(`INSERT INTO public.dim_payment_type VALUES (1, 'SALES_RECEIPT')`);
    await client.query('CREATE SCHEMA pipeline_state');
    await client.query('SET search_path TO pipeline_state');

    await client.query(await readDdl('warehouse'));

    await client.query('RESET search_path');
    expect(await readStarSchema()).toEqual(before);
    expect(await readTables(client, 'pipeline_state')).toEqual([]);
    const { rows } = await client.query('SELECT * FROM public.dim_payment_type');
    expect(rows).toEqual([{ payment_type_id: 1, payment_type_name: 'SALES_RECEIPT' }]);
  });
});
