import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  type MetricStage,
  metricDimensions,
  metricNamespace,
  type StageMetricName,
  stageMetrics,
} from '@totes/pipeline';

/**
 * The metrics of one function (CloudWatch embedded metric format, one JSON line per flush).
 *
 * Only the names its stage declares in `stageMetrics`, each with its declared unit.
 */
export interface PipelineMetrics<S extends MetricStage = MetricStage> {
  /** Adds `value` to the metric `name` (its unit comes from the declaration). */
  add(name: StageMetricName<S>, value: number): void;
  /** Writes the metrics gathered so far, unless every count among them is zero. */
  flush(): void;
}

/** The unit `stage` declares for the metric `name`. */
export function metricUnitOf<S extends MetricStage>(stage: S, name: StageMetricName<S>) {
  const units: Readonly<Record<string, 'Count' | 'Seconds'>> = stageMetrics[stage];
  return units[name] ?? 'Count';
}

/**
 * Creates the metrics of `stage`'s function for `table`, dimensioned by both on every flush.
 *
 * The reconciler has no table.
 *
 * A flush whose counts are all zero writes nothing: a run that found nothing to do (an idle
 * extraction every minute, a reconciliation that re-queued nothing) would otherwise keep each of
 * its metrics billed as a custom metric all month (docs/cost.md), and no alarm reads a zero.
 */
export function createMetrics<S extends MetricStage>(stage: S, table?: string): PipelineMetrics<S> {
  const { service, table: tableDimension } = metricDimensions(stage, table);
  // Default dimensions stay on every flush; `addDimension` would be cleared by the first one.
  const metrics = new Metrics({
    namespace: metricNamespace,
    serviceName: service,
    defaultDimensions: { table: tableDimension },
  });
  let counted = false;
  return {
    add: (name, value) => {
      const unit = metricUnitOf(stage, name);
      if (unit === 'Count' && value !== 0) counted = true;
      metrics.addMetric(name, unit, value);
    },
    flush: () => {
      if (counted) metrics.publishStoredMetrics();
      else metrics.clearMetrics();
      counted = false;
    },
  };
}
