// `@totes/transformer/mappings`: what the transformer makes of each table (its mappings, output
// columns and calendar) without the handlers, Parquet writer and AWS clients the package's main
// entry brings in, for readers that only compare rows with the mappings (`totes verify`).
export * from './mappings/calendar-range';
export * from './mappings/calendar-rows';
export * from './output-row';
export * from './row-contract-error';
export * from './table-transforms';
