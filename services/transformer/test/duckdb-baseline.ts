import { DuckDBInstance } from '@duckdb/node-api';

const quote = (path: string) => `'${path.replaceAll("'", "''")}'`;

/**
 * The reference implementation of fact_sales_order in DuckDB: reads sales_order JSON Lines with
 * the source types and writes the same columns, in the same order, with DuckDB's own Parquet
 * writer. `threads` limits DuckDB's worker threads (it uses every core by default).
 */
export async function duckDbSalesOrderParquet(
  input: string,
  output: string,
  threads?: number,
): Promise<void> {
  const instance = await DuckDBInstance.create(
    ':memory:',
    threads === undefined ? {} : { threads: String(threads) },
  );
  const connection = await instance.connect();
  try {
    await connection.run(`
      COPY (
        SELECT
          sales_order_id,
          created_at::DATE AS created_date,
          created_at::TIME AS created_time,
          last_updated::DATE AS last_updated_date,
          last_updated::TIME AS last_updated_time,
          staff_id AS sales_staff_id,
          counterparty_id,
          units_sold,
          unit_price,
          currency_id,
          design_id,
          agreed_payment_date,
          agreed_delivery_date,
          agreed_delivery_location_id
        FROM read_json(${quote(input)}, format = 'newline_delimited', columns = {
          sales_order_id: 'INTEGER', created_at: 'TIMESTAMP', last_updated: 'TIMESTAMP',
          design_id: 'INTEGER', staff_id: 'INTEGER', counterparty_id: 'INTEGER',
          units_sold: 'INTEGER', unit_price: 'DECIMAL(10,2)', currency_id: 'INTEGER',
          agreed_delivery_date: 'DATE', agreed_payment_date: 'DATE', agreed_delivery_location_id: 'INTEGER'
        })
      ) TO ${quote(output)} (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** How two Parquet files of the same table compare, as DuckDB reads them. */
export interface ParquetComparison {
  readonly rows: number;
  readonly otherRows: number;
  /** Rows of either file missing from the other (a multiset difference, both ways). */
  readonly differingRows: number;
  /** Column → DuckDB type, as read from the first file. */
  readonly types: Readonly<Record<string, string>>;
  readonly otherTypes: Readonly<Record<string, string>>;
}

/** Compares every value of two Parquet files with DuckDB, types included. */
export async function compareParquet(path: string, otherPath: string): Promise<ParquetComparison> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const one = async (sql: string) => Number((await connection.runAndReadAll(sql)).getRows()[0]?.[0]);
  const types = async (file: string) =>
    Object.fromEntries(
      (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quote(file)})`))
        .getRows()
        .map(([name, type]) => [String(name), String(type)]),
    );
  try {
    const a = `read_parquet(${quote(path)})`;
    const b = `read_parquet(${quote(otherPath)})`;
    return {
      rows: await one(`SELECT count(*) FROM ${a}`),
      otherRows: await one(`SELECT count(*) FROM ${b}`),
      differingRows:
        (await one(`SELECT count(*) FROM (SELECT * FROM ${a} EXCEPT ALL SELECT * FROM ${b})`)) +
        (await one(`SELECT count(*) FROM (SELECT * FROM ${b} EXCEPT ALL SELECT * FROM ${a})`)),
      types: await types(path),
      otherTypes: await types(otherPath),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
