// `@totes/transformer/mappings`: what the transformer makes of each table (its mappings, output
// columns and calendar) without the handlers, Parquet writer and AWS clients the package's main
// entry brings in, for readers that only compare rows with the mappings (`totes verify`).
export { type CalendarRange, defaultCalendarRange } from './mappings/calendar-range';
export { calendarRows } from './mappings/calendar-rows';
export { type OutputRow, outputColumns } from './output-row';
export { RowContractError } from './row-contract-error';
export { type TableTransform, tableTransforms } from './table-transforms';
