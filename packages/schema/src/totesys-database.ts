import type { KyselyTable } from './kysely-table';
import type { TotesysTableName, totesysTables } from './totesys-tables';

/** The kysely `Database` of totesys: its eleven ingested tables, keyed by table name. */
export type TotesysDatabase = {
  [T in TotesysTableName]: KyselyTable<(typeof totesysTables)[T]>;
};
