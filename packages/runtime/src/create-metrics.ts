import { Metrics } from '@aws-lambda-powertools/metrics';
import {
  type MetricStage,
  metricDimensions,
  metricNamespace,
  type StageMetricName,
  type StageName,
  type StageWideStage,
  stageMetrics,
  stageWideDimensions,
  stageWideMetricNames,
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

/** Metrics that also count by pipeline stage: the reconciler's. */
export interface StageCountedMetrics<S extends MetricStage = MetricStage> extends PipelineMetrics<S> {
  /**
   * Adds `value` to the metric `name` of one pipeline stage, written at the next flush (unless
   * zero) in a line of its own dimensioned by `stage` as well (the reconciler's `dead_letters`,
   * `deadLettersMetricOf`).
   */
  addForStage(name: StageMetricName<S>, stage: StageName, value: number): void;
}

/** The unit `stage` declares for the metric `name`. */
export function metricUnitOf<S extends MetricStage>(stage: S, name: StageMetricName<S>) {
  const units: Readonly<Record<string, 'Count' | 'Seconds'>> = stageMetrics[stage];
  return units[name] ?? 'Count';
}

/**
 * Creates the metrics of `stage`'s function for `table`, dimensioned by both on every flush.
 *
 * The reconciler has no table. The metrics `stageWideMetrics` declares for the table are written
 * a second time, in a line dimensioned by the stage alone, which one alarm over all the stage's
 * tables reads.
 *
 * A flush whose counts are all zero writes nothing: a run that found nothing to do (an idle
 * extraction every minute, a reconciliation that re-queued nothing) would otherwise keep each of
 * its metrics billed as a custom metric all month (docs/cost.md), and no alarm reads a zero.
 */
export function createMetrics<S extends MetricStage>(stage: S, table?: string): StageCountedMetrics<S> {
  const { service, table: tableDimension } = metricDimensions(stage, table);
  // Default dimensions stay on every flush; `addDimension` would be cleared by the first one.
  const metrics = new Metrics({
    namespace: metricNamespace,
    serviceName: service,
    defaultDimensions: { table: tableDimension },
  });
  const wideNames: readonly string[] = stageWideMetricNames(stage, table);
  const wide =
    wideNames.length > 0
      ? new Metrics({
          namespace: metricNamespace,
          serviceName: stageWideDimensions(stage as StageWideStage).service,
        })
      : undefined;
  let counted = false;
  let wideAdded = false;
  const perStage = new Map<string, { name: StageMetricName<S>; stage: StageName; value: number }>();
  return {
    add: (name, value) => {
      const unit = metricUnitOf(stage, name);
      if (unit === 'Count' && value !== 0) counted = true;
      metrics.addMetric(name, unit, value);
      if (wide && wideNames.includes(name)) {
        wide.addMetric(name, unit, value);
        wideAdded = true;
      }
    },
    addForStage: (name, pipelineStage, value) => {
      const key = `${pipelineStage}\u0000${name}`;
      const known = perStage.get(key);
      perStage.set(key, { name, stage: pipelineStage, value: (known?.value ?? 0) + value });
    },
    flush: () => {
      if (counted) {
        metrics.publishStoredMetrics();
        if (wideAdded) wide?.publishStoredMetrics();
      } else {
        metrics.clearMetrics();
        wide?.clearMetrics();
      }
      for (const { name, stage: pipelineStage, value } of perStage.values()) {
        if (value === 0) continue;
        // A metrics object of its own writes one line at once, with the stage as a dimension.
        metrics
          .singleMetric()
          .addDimension('stage', pipelineStage)
          .addMetric(name, metricUnitOf(stage, name), value);
      }
      perStage.clear();
      counted = false;
      wideAdded = false;
    },
  };
}
