/**
 * The metric the reconciler emits after every run: the objects it found unconsumed and sent
 * again (0 when the pipeline had lost nothing). Namespace `TerrificTotes`, dimensioned by
 * `service` `reconcile` and `table` `all` (`createMetrics` in `@totes/runtime`); the alarm on
 * it fires when any object had to be re-queued.
 */
export const reconcilerMetrics = {
  namespace: 'TerrificTotes',
  service: 'reconcile',
  table: 'all',
  objectsRequeued: 'objects_requeued',
  dimensions: { service: 'reconcile', table: 'all' },
} as const;
