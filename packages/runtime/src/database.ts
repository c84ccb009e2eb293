// The database side of the runtime, for the stages that open one (extractor, loader, reconciler)
// and the applications: the `pg` connection, database secrets and the load ledger's query. Kept
// out of the package's main entry so that importing it does not bring `pg` along.
export * from './connect-postgres';
export * from './database-secret';
export * from './postgres-ledger-query';
export * from './read-buffer-socket';
