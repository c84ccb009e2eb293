export {
  type AnalyticsColumnType,
  type AnalyticsDatabase,
  type AnalyticsViewName,
  analyticsViews,
} from './analytics-views';
export { column, type Defaulted } from './column';
export { type ColumnSpec, columnSpecs } from './column-specs';
export { columnsOf } from './columns-of';
export { type DdlName, ddlFile, readDdl } from './ddl-file';
export type { KyselyTable } from './kysely-table';
export { type PgColumnMeta, pgColumnRegistry } from './pg-column-registry';
export { prismaMigrationsTable } from './prisma-migrations-table';
export { SchemaDeclarationError } from './schema-declaration-error';
export type { TotesysDatabase } from './totesys-database';
export { type TotesysEnumName, totesysEnums } from './totesys-enums';
export { type SourceTableName, type TotesysRow, totesysTables } from './totesys-tables';
export type { WarehouseDatabase } from './warehouse-database';
export { type TargetTableName, type WarehouseRow, warehouseRowSchemas } from './warehouse-tables';
