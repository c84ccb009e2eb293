import { type TargetTableName, type WarehouseTableSpec, warehouseTables } from '@totes/pipeline';
import { type ColumnSpec, columnSpecs, warehouseRowSchemas as warehouseSchemas } from '@totes/schema';

/** How a column's values are carried in a processed Parquet object. */
export type ValueKind = 'integer' | 'decimal' | 'date' | 'time' | 'string' | 'boolean';

/** A column the loader copies from a processed object into the warehouse. */
export interface LoadColumn extends ColumnSpec {
  readonly kind: ValueKind;
}

/** The columns of a fact that point at one dimension, and the dimension's key. */
export interface DimensionReference {
  readonly dimension: TargetTableName;
  readonly dimensionKey: string;
  readonly columns: readonly string[];
}

/** Everything the loader needs to know of one warehouse table, derived from the declarations. */
export interface TableLayout {
  readonly table: TargetTableName;
  readonly kind: 'fact' | 'dim';
  readonly naturalKey: string;
  /** Facts only: the SERIAL the warehouse numbers rows with; absent from processed objects. */
  readonly recordId?: string;
  /** The columns of a processed object, in warehouse order. */
  readonly columns: readonly LoadColumn[];
  /** Facts only: the dimensions its rows reference, one entry per dimension. */
  readonly references: readonly DimensionReference[];
}

const kindsByPgType: Readonly<Record<string, ValueKind>> = {
  integer: 'integer',
  'numeric(10,2)': 'decimal',
  numeric: 'decimal',
  date: 'date',
  'time without time zone': 'time',
  'character varying': 'string',
  text: 'string',
  boolean: 'boolean',
};

function loadColumn(table: string, spec: ColumnSpec): LoadColumn {
  const kind = kindsByPgType[spec.pgType];
  if (!kind) throw new RangeError(`${table}.${spec.name}: the loader has no mapping for ${spec.pgType}`);
  return { ...spec, kind };
}

function references(table: TargetTableName): readonly DimensionReference[] {
  const spec: WarehouseTableSpec = warehouseTables[table];
  const declared = spec.references ?? {};
  const byDimension = new Map<TargetTableName, string[]>();
  for (const [column, dimension] of Object.entries(declared)) {
    byDimension.set(dimension, [...(byDimension.get(dimension) ?? []), column]);
  }
  return [...byDimension].map(([dimension, columns]) => ({
    dimension,
    dimensionKey: warehouseTables[dimension].naturalKey,
    columns,
  }));
}

const layouts = new Map<TargetTableName, TableLayout>();

/** The {@link TableLayout} of a warehouse table (computed once per table). */
export function tableLayout(table: TargetTableName): TableLayout {
  const cached = layouts.get(table);
  if (cached) return cached;
  const spec: WarehouseTableSpec = warehouseTables[table];
  const recordId = spec.recordId;
  const layout: TableLayout = {
    table,
    kind: spec.kind,
    naturalKey: spec.naturalKey,
    ...(recordId === undefined ? {} : { recordId }),
    columns: columnSpecs(warehouseSchemas[table])
      .filter((column) => column.name !== recordId)
      .map((column) => loadColumn(table, column)),
    references: references(table),
  };
  layouts.set(table, layout);
  return layout;
}
