import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The metrics a function emits (CloudWatch embedded metric format, one JSON line per flush). */
export interface PipelineMetrics {
  count(name: string, value: number): void;
  seconds(name: string, value: number): void;
  /** Writes the metrics gathered so far. */
  flush(): void;
}

/** Creates the metrics of one function, dimensioned by its table. */
export function createMetrics(service: string, table: string): PipelineMetrics {
  const metrics = new Metrics({ namespace: 'TerrificTotes', serviceName: service });
  metrics.addDimension('table', table);
  return {
    count: (name, value) => metrics.addMetric(name, MetricUnit.Count, value),
    seconds: (name, value) => metrics.addMetric(name, MetricUnit.Seconds, value),
    flush: () => metrics.publishStoredMetrics(),
  };
}
