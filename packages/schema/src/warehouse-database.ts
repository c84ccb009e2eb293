import type { KyselyTable } from './kysely-table';
import type { TargetTableName, warehouseRowSchemas } from './warehouse-tables';

/** The kysely `Database` of the warehouse's star schemas (in `public`), keyed by table name. */
export type WarehouseDatabase = {
  [T in TargetTableName]: KyselyTable<(typeof warehouseRowSchemas)[T]>;
};
