// What other parts of the project (the local stack's scheduler) use of the CLI: reconciliation.
export * from './stack/postgres-ledger-query';
export * from './stack/requeue-unconsumed';
export * from './stack/s3-object-listing';
export * from './stack/unconsumed-objects';
