import { migrateWarehouse } from '@totes/loader';
import { readDdl } from '@totes/schema';
import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ComparedDatabases, compareTable } from '../src/verify/compare-table';
import { isoDateStyle } from '../src/verify/verify-queries';

// 3,000 sales orders, their timestamps with fractions of .25 s (which PostgreSQL prints without
// trailing zeros), and the fact rows the pipeline would have loaded for them. Foreign keys are
// not enforced (session_replication_role), so no dimension or reference row is needed.
const orders = 3000;
const salesOrders = `
  INSERT INTO sales_order (sales_order_id, created_at, last_updated, design_id, staff_id,
    counterparty_id, units_sold, unit_price, currency_id, agreed_delivery_date,
    agreed_payment_date, agreed_delivery_location_id)
  SELECT g, timestamp '2024-01-01 09:00:00' + g * interval '1.25 second',
    timestamp '2024-01-02 09:00:00' + g * interval '1.5 second', g % 50 + 1, g % 20 + 1,
    g % 20 + 1, g % 97 + 1, (g % 1000) / 4.0 + 0.5, g % 3 + 1, '2024-02-01', '2024-02-15',
    g % 30 + 1
  FROM generate_series(1, ${orders}) AS g`;
const factColumnList = [
  'sales_order_id',
  'created_date',
  'created_time',
  'last_updated_date',
  'last_updated_time',
  'sales_staff_id',
  'counterparty_id',
  'units_sold',
  'unit_price',
  'currency_id',
  'design_id',
  'agreed_payment_date',
  'agreed_delivery_date',
  'agreed_delivery_location_id',
];
const factColumns = factColumnList.join(', ');
const facts = `
  INSERT INTO fact_sales_order (${factColumns})
  SELECT g, created::date, created::time, updated::date, updated::time, g % 20 + 1, g % 20 + 1,
    g % 97 + 1, (g % 1000) / 4.0 + 0.5, g % 3 + 1, g % 50 + 1, '2024-02-15', '2024-02-01',
    g % 30 + 1
  FROM generate_series(1, ${orders}) AS g,
    LATERAL (SELECT timestamp '2024-01-01 09:00:00' + g * interval '1.25 second' AS created,
      timestamp '2024-01-02 09:00:00' + g * interval '1.5 second' AS updated) AS t`;
/** Another version of order `id`: a copy of its row, `last_updated` moved by `shift`, then `set`. */
const version = (id: number, shift: string, set = '') => {
  const updated = `(last_updated_date + last_updated_time + interval '${shift}')`;
  const copied = factColumnList.map((column) =>
    column === 'last_updated_date'
      ? `${updated}::date`
      : column === 'last_updated_time'
        ? `${updated}::time`
        : column,
  );
  const changed = `UPDATE fact_sales_order SET ${set}
    WHERE sales_record_id = currval('fact_sales_order_sales_record_id_seq')`;
  return `INSERT INTO fact_sales_order (${factColumns})
    SELECT ${copied.join(', ')} FROM fact_sales_order
    WHERE sales_order_id = ${id} ORDER BY sales_record_id LIMIT 1;
    ${set ? changed : ''}`;
};

describe('comparing a warehouse table with the source', () => {
  const totesysDatabase = useTestDatabase('cli_compare_totesys');
  const warehouseDatabase = useTestDatabase('cli_compare_warehouse');
  let databases: ComparedDatabases & { totesys: pg.Client; warehouse: pg.Client };

  beforeAll(async () => {
    const totesys = new pg.Client({ connectionString: totesysDatabase.url });
    const warehouse = new pg.Client({ connectionString: warehouseDatabase.url });
    await Promise.all([totesys.connect(), warehouse.connect()]);
    databases = { totesys, warehouse };
    await totesys.query(await readDdl('totesys'));
    await migrateWarehouse(warehouse);
    await totesys.query('SET session_replication_role = replica');
    await warehouse.query('SET session_replication_role = replica');
    await totesys.query(salesOrders);
    await warehouse.query(facts);
    await Promise.all([totesys.query(isoDateStyle), warehouse.query(isoDateStyle)]);
  });
  afterAll(async () => {
    await Promise.all([databases.totesys.end(), databases.warehouse.end()]);
  });

  it('finds a fact table loaded from every source row equal to it', async () => {
    expect(await compareTable('fact_sales_order', databases)).toEqual({
      table: 'fact_sales_order',
      expectedRows: orders,
      warehouseRows: orders,
      missing: 0,
      extra: 0,
      different: 0,
      duplicateVersions: 0,
      samples: { missing: [], extra: [], different: [], duplicateVersions: [] },
    });
  });

  it('counts and names missing, extra and different rows and duplicate versions, and takes each latest version for the current one', async () => {
    await databases.warehouse.query(`
      DELETE FROM fact_sales_order WHERE sales_order_id IN (5, 6);
      ${version(1, '0 seconds')};
      UPDATE fact_sales_order SET sales_order_id = 5000
        WHERE sales_record_id = currval('fact_sales_order_sales_record_id_seq');
      UPDATE fact_sales_order SET units_sold = units_sold + 1 WHERE sales_order_id = 7;
      ${version(9, '0 seconds')};
      ${version(11, '-1 hour', 'units_sold = 0')};
      ${version(13, '1 hour')};
      ${version(15, '1 hour', 'unit_price = 0.01')};
    `);
    // Order 2000 has a history longer than a page of COPY output, all of it older than its row.
    await databases.warehouse.query(`
      INSERT INTO fact_sales_order (${factColumns})
      SELECT sales_order_id, created_date, created_time, last_updated_date,
        last_updated_time - g * interval '1 millisecond', sales_staff_id, counterparty_id,
        units_sold + g, unit_price, currency_id, design_id, agreed_payment_date,
        agreed_delivery_date, agreed_delivery_location_id
      FROM fact_sales_order, generate_series(1, 3000) AS g WHERE sales_order_id = 2000`);

    const difference = await compareTable('fact_sales_order', databases);

    expect(difference).toEqual({
      table: 'fact_sales_order',
      expectedRows: orders,
      warehouseRows: orders - 2 + 1 + 1 + 1 + 1 + 1 + 3000,
      missing: 2,
      extra: 1,
      different: 3,
      duplicateVersions: 1,
      samples: { missing: [5, 6], extra: [5000], different: [7, 13, 15], duplicateVersions: [9] },
    });
  });
});
