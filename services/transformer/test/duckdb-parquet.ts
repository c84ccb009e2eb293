import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, DuckDBTimeValue } from '@duckdb/node-api';

/** A Parquet file as DuckDB reads it: SQL types, rows and key-value metadata. */
export interface DuckDbTable {
  /** Column name → DuckDB type (`DECIMAL(10,2)`, `DATE`, `TIME`, `INTEGER`, `VARCHAR`, `BOOLEAN`). */
  readonly types: Readonly<Record<string, string>>;
  /** Values in the pipeline's JSON form: decimals, dates and times as text, NULL as null. */
  readonly rows: readonly Record<string, unknown>[];
  readonly metadata: Readonly<Record<string, string>>;
}

const two = (value: bigint) => String(value).padStart(2, '0');

function millisTime(value: DuckDBTimeValue): string {
  const micros = value.micros;
  const millis = (micros / 1000n) % 1000n;
  const seconds = micros / 1_000_000n;
  return `${two(seconds / 3600n)}:${two((seconds / 60n) % 60n)}:${two(seconds % 60n)}.${String(millis).padStart(3, '0')}`;
}

function plain(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string')
    return value;
  if (value instanceof DuckDBTimeValue) return millisTime(value);
  return String(value);
}

/** Reads Parquet bytes with DuckDB, an independent reader, from a file in a temporary folder. */
export async function readWithDuckDb(parquet: Uint8Array): Promise<DuckDbTable> {
  const folder = await mkdtemp(join(tmpdir(), 'totes-duckdb-'));
  const path = join(folder, 'object.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await writeFile(path, parquet);
    const result = await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
    const names = result.columnNames();
    const types = Object.fromEntries(result.columnTypes().map((type, index) => [names[index], String(type)]));
    const rows = result.getRows().map((row) => Object.fromEntries(row.map((v, i) => [names[i], plain(v)])));
    const kv = await connection.runAndReadAll(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata('${path}')`,
    );
    const metadata = Object.fromEntries(kv.getRows().map(([key, value]) => [String(key), String(value)]));
    return { types, rows, metadata };
  } finally {
    connection.closeSync();
    instance.closeSync();
    await rm(folder, { recursive: true, force: true });
  }
}
