/**
 * The CloudWatch namespace of every metric the pipeline emits.
 *
 * In embedded metric format, written by `createMetrics` in `@totes/runtime`.
 */
export const metricNamespace = 'TerrificTotes';

/** The CloudWatch unit of a metric. */
export type MetricUnit = 'Count' | 'Seconds';

/**
 * Every metric of every function, by the stage that emits it, with its unit; names are snake_case.
 *
 * Services emit them through this declaration and infra's alarms watch them through it, so a metric
 * is spelled once.
 */
export const stageMetrics = {
  extract: {
    rows_extracted: 'Count',
    objects_written: 'Count',
    extract_seconds: 'Seconds',
    extract_failures: 'Count',
  },
  transform: { rows_in: 'Count', rows_out: 'Count', rows_quarantined: 'Count', transform_seconds: 'Seconds' },
  load: {
    rows_inserted: 'Count',
    rows_updated: 'Count',
    rows_skipped: 'Count',
    freshness_seconds: 'Seconds',
  },
  reconcile: { objects_requeued: 'Count' },
} as const satisfies Record<string, Record<string, MetricUnit>>;

/** A stage that emits metrics: the three per-table stages and the reconciler. */
export type MetricStage = keyof typeof stageMetrics;

/** The name of a metric `stage` emits. */
export type StageMetricName<S extends MetricStage> = keyof (typeof stageMetrics)[S] & string;

/** The dimensions every metric carries. */
export type MetricDimensions = {
  /** `<stage>-<table>`, or `reconcile` for the reconciler. */
  readonly service: string;
  /** The function's table, or `all` for the reconciler. */
  readonly table: string;
};

/**
 * The dimensions of the metrics of `stage`'s function for `table`.
 *
 * The reconciler has one function for every table, dimensioned `service` `reconcile`, `table`
 * `all`.
 */
export function metricDimensions(stage: MetricStage, table?: string): MetricDimensions {
  if (stage === 'reconcile') return { service: 'reconcile', table: 'all' };
  if (table === undefined) throw new TypeError(`the ${stage} metrics are dimensioned by a table`);
  return { service: `${stage}-${table}`, table };
}

/** The service name of `stage`'s function for `table`: its loggers' `service` and its metrics' dimension. */
export function serviceName(stage: MetricStage, table?: string): string {
  return metricDimensions(stage, table).service;
}

/** One metric as CloudWatch identifies it: what an alarm on it needs. */
export interface MetricReference {
  readonly namespace: string;
  readonly metricName: string;
  readonly unit: MetricUnit;
  readonly dimensions: MetricDimensions;
}

/** The metric `name` of `stage`'s function for `table` (no table for the reconciler). */
export function metricOf<S extends MetricStage>(
  stage: S,
  name: StageMetricName<S>,
  table?: string,
): MetricReference {
  const units: Readonly<Record<string, MetricUnit>> = stageMetrics[stage];
  const unit = units[name];
  if (unit === undefined) throw new TypeError(`the ${stage} stage declares no metric ${name}`);
  return { namespace: metricNamespace, metricName: name, unit, dimensions: metricDimensions(stage, table) };
}
