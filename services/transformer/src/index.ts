// The transformer's public face: what the Lambda entry, the local stack and the CLI may use.
// `@totes/transformer/mappings` is its second face: the mappings alone, for `totes verify`.
export {
  type CalendarDeps,
  type CalendarHandler,
  CalendarRequest,
  calendarHandler,
} from './calendar-handler';
export { createTransformHandler } from './create-transform-handler';
export type { TransformerDeps } from './notification-processor';
export { RowContractError } from './row-contract-error';
export { TransformError } from './transform-error';
export type { TransformStores } from './transform-stores';
export { type TransformerFunction, transformerFromEnvironment } from './transformer-from-environment';
