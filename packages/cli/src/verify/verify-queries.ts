import type { SourceTableName, TargetTableName } from '@totes/pipeline';
import { warehouseTables as topology } from '@totes/pipeline';
import { columnSpecs, type TotesysDatabase, totesysTables, type WarehouseDatabase } from '@totes/schema';
import { outputColumns } from '@totes/transformer';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';

// Kysely only builds the SQL here (typed by the schema package's Database types); the rows are
// read through a server-side cursor of our own (text-cursor.ts), which kysely's pg dialect would
// need pg-cursor for.
function compiler<DB>(): Kysely<DB> {
  return new Kysely<DB>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
}

const totesys = compiler<TotesysDatabase>();
const warehouse = compiler<WarehouseDatabase>();

/** The columns of a source table, in declared order. */
export const sourceColumns = (table: SourceTableName) => columnSpecs(totesysTables[table]);

/** Every row of a source table, every column, in primary-key order. */
export function sourceRowsSql(table: SourceTableName, key: string): string {
  // The table and key come from the topology, so they are names of TotesysDatabase.
  const query = totesys
    .selectFrom(table as 'sales_order')
    .select(sourceColumns(table).map((column) => column.name) as 'sales_order_id'[])
    .orderBy(key as 'sales_order_id');
  return query.compile().sql;
}

/**
 * Every row of a warehouse table, the transformer's output columns (no record id), in natural-key
 * order; a fact's versions of one source row in the order the warehouse takes the latest from
 * (last_updated, then the record id, which grows with every version loaded).
 */
export function warehouseRowsSql(table: TargetTableName): string {
  const spec = topology[table] as { readonly naturalKey: string; readonly recordId?: string };
  const columns = outputColumns(table).map((column) => column.name);
  let query = warehouse
    .selectFrom(table as 'fact_sales_order')
    .select(columns as 'sales_order_id'[])
    .orderBy(spec.naturalKey as 'sales_order_id');
  if (spec.recordId) {
    query = query
      .orderBy('last_updated_date')
      .orderBy('last_updated_time')
      .orderBy(spec.recordId as 'sales_record_id');
  }
  return query.compile().sql;
}

/** The first and last day dim_date holds (null when it is empty). */
export function calendarBoundsSql(): string {
  return warehouse
    .selectFrom('dim_date')
    .select([sql<string>`min(date_id)::text`.as('first'), sql<string>`max(date_id)::text`.as('last')])
    .compile().sql;
}
