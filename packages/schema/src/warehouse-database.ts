import type { KyselyTable } from './kysely-table';
import type { WarehouseTableName, warehouseTables } from './warehouse-tables';

/** The kysely `Database` of the warehouse's star schemas (in `public`), keyed by table name. */
export type WarehouseDatabase = {
  [T in WarehouseTableName]: KyselyTable<(typeof warehouseTables)[T]>;
};
