import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The metrics a function emits (CloudWatch embedded metric format, one JSON line per flush). */
export interface PipelineMetrics {
  count(name: string, value: number): void;
  seconds(name: string, value: number): void;
  /** Writes the metrics gathered so far, unless every count among them is zero. */
  flush(): void;
}

/**
 * Creates the metrics of one function, dimensioned by its service and table on every flush.
 *
 * A flush whose counts are all zero writes nothing: a run that found nothing to do (an idle
 * extraction every minute, a reconciliation that re-queued nothing) would otherwise keep each of
 * its metrics billed as a custom metric all month (docs/cost.md), and no alarm reads a zero.
 */
export function createMetrics(service: string, table: string): PipelineMetrics {
  // Default dimensions stay on every flush; `addDimension` would be cleared by the first one.
  const metrics = new Metrics({
    namespace: 'TerrificTotes',
    serviceName: service,
    defaultDimensions: { table },
  });
  let counted = false;
  return {
    count: (name, value) => {
      if (value !== 0) counted = true;
      metrics.addMetric(name, MetricUnit.Count, value);
    },
    seconds: (name, value) => metrics.addMetric(name, MetricUnit.Seconds, value),
    flush: () => {
      if (counted) metrics.publishStoredMetrics();
      else metrics.clearMetrics();
      counted = false;
    },
  };
}
