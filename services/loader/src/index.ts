// The loader's public face: what the Lambda entry, the local stack and the CLI may use.
export { createLoadHandler, type LoadHandlerOptions } from './create-load-handler';
export { loaderFromEnvironment } from './loader-from-environment';
export { type LedgerEntry, type LedgerOutcome, loadLedger } from './merge/load-ledger';
export { ensureWarehouse, migrateWarehouse } from './migrate-warehouse';
export { MissingDimensionError } from './missing-dimension-error';
export { WarehouseError } from './warehouse-error';
