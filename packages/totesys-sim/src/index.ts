export type { RowEdit } from './apply-edit';
export { type EditReferenceOptions, editReference } from './edit-reference';
export {
  type EditRule,
  type ReferenceEditTable,
  referenceEditRules,
  type SilentEditTable,
  silentEditRules,
} from './edit-rules';
export { insertDesign } from './insert-design';
export {
  type InsertedOrder,
  type InsertOptions,
  insertPurchaseOrder,
  insertSalesOrder,
} from './insert-order';
export { type LiveTraffic, type LiveTrafficStats, startLiveTraffic } from './live-traffic';
export {
  type LiveEvent,
  type LiveTrafficOptions,
  type LiveTrafficSettings,
  liveTrafficSettings,
} from './live-traffic-settings';
export { formatNaiveTimestamp, naiveTimestampOf, parseNaiveTimestamp } from './naive-timestamp';
export {
  type AccountNumbers,
  type DesignValues,
  orderDraft,
  type PurchaseOrderValues,
  type ReferenceLimits,
  type SalesOrderValues,
} from './order-draft';
export { Random } from './random';
export { readLimits, type TableLimits } from './read-limits';
export { type SeedOptions, type SeedResult, seedTotesys } from './seed-totesys';
export { type SettleOptions, settlePayments } from './settle-payments';
export { type SilentEditOptions, silentEdit } from './silent-edit';
export { SimulatorError } from './simulator-error';
export {
  maxScale,
  type RowsOptions,
  type TotesysDataset,
  type TotesysDatasetOptions,
  totesysDataset,
} from './totesys-dataset';
export { totesysProfile } from './totesys-profile';
