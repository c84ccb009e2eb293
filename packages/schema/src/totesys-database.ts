import type { KyselyTable } from './kysely-table';
import type { SourceTableName, totesysTables } from './totesys-tables';

/** The kysely `Database` of totesys: its eleven ingested tables, keyed by table name. */
export type TotesysDatabase = {
  [T in SourceTableName]: KyselyTable<(typeof totesysTables)[T]>;
};
