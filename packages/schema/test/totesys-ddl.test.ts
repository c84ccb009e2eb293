import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  columnSpecs,
  columnsOf,
  pgColumnRegistry,
  prismaMigrationsTable,
  readDdl,
  totesysTables,
} from '../src/index';
import {
  readColumns,
  readEnums,
  readForeignKeys,
  readPrimaryKeys,
  readSecondaryIndexes,
  readTables,
} from './catalog';
import { columnDrift } from './column-drift';

const database = useTestDatabase('schema');
let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(await readDdl('totesys'));
});

afterAll(async () => {
  await client?.end();
});

describe('sql/totesys.sql', () => {
  it.each(Object.entries(totesysTables))(
    'creates %s with exactly the columns its zod schema declares',
    async (name, table) => {
      const actual = await readColumns(client, 'public', name);

      expect(columnDrift(name, columnSpecs(table), actual)).toEqual([]);
    },
  );

  it('creates _prisma_migrations in Prisma’s standard shape', async () => {
    const actual = await readColumns(client, 'public', '_prisma_migrations');

    expect(columnDrift('_prisma_migrations', columnSpecs(prismaMigrationsTable), actual)).toEqual([]);
  });

  it('creates the declared tables and _prisma_migrations, nothing else', async () => {
    const tables = await readTables(client, 'public');

    expect(tables).toEqual(['_prisma_migrations', ...Object.keys(totesysTables)].sort());
  });

  it('keys every table by its first column', async () => {
    const keys = await readPrimaryKeys(client, 'public');

    const expected = Object.entries({ _prisma_migrations: prismaMigrationsTable, ...totesysTables }).map(
      ([name, table]) => `${name}(${columnsOf(table)[0]})`,
    );
    expect(keys).toEqual(expected.sort());
  });

  it('defines each enum type with exactly the labels its zod enum accepts', async () => {
    const enums = await readEnums(client, 'public');

    const declared = Object.values(totesysTables)
      .flatMap((table) => Object.values(table.shape))
      .filter((column) => column instanceof z.ZodEnum)
      .map((column) => [pgColumnRegistry.get(column)?.pgType.replaceAll('"', ''), column.options]);
    expect(enums).toEqual(Object.fromEntries(declared));
  });

  it('cascades updates and restricts deletes on every foreign key, except that transaction’s set NULL', async () => {
    const foreignKeys = await readForeignKeys(client, 'public');

    const restrict = 'ON UPDATE CASCADE ON DELETE RESTRICT';
    const setNull = 'ON UPDATE CASCADE ON DELETE SET NULL';
    expect(foreignKeys).toEqual([
      `counterparty.legal_address_id → address.address_id ${restrict}`,
      `payment.counterparty_id → counterparty.counterparty_id ${restrict}`,
      `payment.currency_id → currency.currency_id ${restrict}`,
      `payment.payment_type_id → payment_type.payment_type_id ${restrict}`,
      `payment.transaction_id → transaction.transaction_id ${restrict}`,
      `purchase_order.agreed_delivery_location_id → address.address_id ${restrict}`,
      `purchase_order.counterparty_id → counterparty.counterparty_id ${restrict}`,
      `purchase_order.currency_id → currency.currency_id ${restrict}`,
      `purchase_order.staff_id → staff.staff_id ${restrict}`,
      `sales_order.agreed_delivery_location_id → address.address_id ${restrict}`,
      `sales_order.counterparty_id → counterparty.counterparty_id ${restrict}`,
      `sales_order.currency_id → currency.currency_id ${restrict}`,
      `sales_order.design_id → design.design_id ${restrict}`,
      `sales_order.staff_id → staff.staff_id ${restrict}`,
      `staff.department_id → department.department_id ${restrict}`,
      `transaction.purchase_order_id → purchase_order.purchase_order_id ${setNull}`,
      `transaction.sales_order_id → sales_order.sales_order_id ${setNull}`,
    ]);
  });

  it('allows one transaction per order and one payment per transaction', async () => {
    const indexes = await readSecondaryIndexes(client, 'public');

    expect(indexes).toEqual([
      'UNIQUE payment(transaction_id)',
      'UNIQUE transaction(purchase_order_id)',
      'UNIQUE transaction(sales_order_id)',
    ]);
  });
});
