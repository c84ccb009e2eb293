import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  type MetricStage,
  metricDimensions,
  metricNamespace,
  type StageMetricName,
  stageMetrics,
} from '@totes/pipeline';

/**
 * The metrics of one function (CloudWatch embedded metric format, one JSON line per flush): only
 * the names its stage declares in `stageMetrics`, each with its declared unit.
 */
export interface PipelineMetrics<S extends MetricStage = MetricStage> {
  /** Adds `value` to the metric `name` (its unit comes from the declaration). */
  add(name: StageMetricName<S>, value: number): void;
  /** Writes the metrics gathered so far. */
  flush(): void;
}

/** The unit `stage` declares for the metric `name`. */
export function metricUnitOf<S extends MetricStage>(stage: S, name: StageMetricName<S>) {
  const units: Readonly<Record<string, 'Count' | 'Seconds'>> = stageMetrics[stage];
  return units[name] ?? 'Count';
}

/** Creates the metrics of `stage`'s function for `table` (none for the reconciler), dimensioned by both. */
export function createMetrics<S extends MetricStage>(stage: S, table?: string): PipelineMetrics<S> {
  const { service, table: tableDimension } = metricDimensions(stage, table);
  const metrics = new Metrics({ namespace: metricNamespace, serviceName: service });
  metrics.addDimension('table', tableDimension);
  return {
    add: (name, value) => metrics.addMetric(name, metricUnitOf(stage, name), value),
    flush: () => metrics.publishStoredMetrics(),
  };
}
