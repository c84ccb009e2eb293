import type { SourceTableName, TargetTableName } from '@totes/pipeline';
import { warehouseTables as topology } from '@totes/pipeline';
import {
  type ColumnSpec,
  columnSpecs,
  type TotesysDatabase,
  totesysTables,
  type WarehouseDatabase,
} from '@totes/schema';
import { outputColumns } from '@totes/transformer/mappings';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';

// Kysely only builds the SQL here (typed by the schema package's Database types); the rows are
// read with COPY (copy-lines.ts), several times faster than the driver's row protocol.
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

/**
 * Every row of a source table, every column, in primary-key order, as PostgreSQL prints them.
 *
 * With DateStyle ISO, see {@link isoDateStyle}): the extractor reads the same output and pads
 * timestamps to three fraction digits itself, as the parser of these rows does. `to_char` would
 * print them so, at several times the server's cost of the whole plain COPY.
 */
export function sourceRowsSql(table: SourceTableName, key: string): string {
  const columns = sourceColumns(table).map((column) => sql.ref(column.name));
  // The table and key come from the topology, so they are names of TotesysDatabase.
  return totesys
    .selectFrom(table as 'sales_order')
    .select(columns as never[])
    .orderBy(key as 'sales_order_id')
    .compile().sql;
}

/**
 * The columns verify reads of a warehouse table.
 *
 * The transformer's output columns (no record id), the natural key first, so that each line starts with the key it is merged on.
 */
export function warehouseColumns(table: TargetTableName): readonly ColumnSpec[] {
  const naturalKey = topology[table].naturalKey as string;
  const columns = outputColumns(table);
  return [
    ...columns.filter((column) => column.name === naturalKey),
    ...columns.filter((column) => column.name !== naturalKey),
  ];
}

/**
 * Every row of a warehouse table in natural-key order.
 *
 * Its {@link warehouseColumns} as PostgreSQL prints them (with DateStyle ISO; the expected rows are matched against them as
 * printed, see canonical-row.ts), so that each line is compared as it arrives; a fact's versions
 * of one source row in the order the warehouse takes the latest from (last_updated, then the
 * record id, which grows with every version loaded).
 */
export function warehouseRowsSql(table: TargetTableName): string {
  const spec = topology[table] as { readonly naturalKey: string; readonly recordId?: string };
  const columns = warehouseColumns(table).map((column) => sql.ref(column.name));
  let query = warehouse
    .selectFrom(table as 'fact_sales_order')
    .select(columns as never[])
    .orderBy(spec.naturalKey as 'sales_order_id');
  if (spec.recordId) {
    query = query
      .orderBy('last_updated_date')
      .orderBy('last_updated_time')
      .orderBy(spec.recordId as 'sales_record_id');
  }
  return query.compile().sql;
}

/** The session setting both sides' rows are printed under (dates as `YYYY-MM-DD`). */
export const isoDateStyle = 'SET DateStyle = ISO';

/** The first and last day dim_date holds (null when it is empty). */
export function calendarBoundsSql(): string {
  return warehouse
    .selectFrom('dim_date')
    .select([sql<string>`min(date_id)::text`.as('first'), sql<string>`max(date_id)::text`.as('last')])
    .compile().sql;
}
