import { sourceTables } from './source-tables';
import type { StageName } from './stage-settings';
import { type TargetTableName, warehouseTableNames, warehouseTables } from './warehouse-tables';

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
  reconcile: { objects_requeued: 'Count', dead_letters: 'Count' },
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
  readonly dimensions: Readonly<Record<string, string>>;
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

/**
 * The warehouse tables whose freshness is watched: those built from event tables only, which
 * change all day. A dimension built from reference data is as old as its last edit, which may be
 * years ago, and is not late for it.
 */
export function freshnessWatchedTables(): readonly TargetTableName[] {
  return warehouseTableNames.filter((target) => {
    const inputs = warehouseTables[target].inputs;
    return inputs.length > 0 && inputs.every((input) => sourceTables[input].kind === 'event');
  });
}

/**
 * The metrics a stage's functions also publish for the whole stage, and which of its tables do.
 *
 * Beside the per-table metric, the same value goes out once more dimensioned by `service` = the
 * stage alone, so one alarm watches every table (docs/decisions/0020): quarantined rows of every
 * transformer, the freshness of the watched tables only (a dimension's freshness says nothing).
 * Like every metric it is written only by a run that counted something, so it costs only while
 * rows flow.
 */
export const stageWideMetrics = {
  transform: { rows_quarantined: () => warehouseTableNames },
  load: { freshness_seconds: freshnessWatchedTables },
} as const satisfies { [S in MetricStage]?: { [N in StageMetricName<S>]?: () => readonly string[] } };

/** A stage that publishes stage-wide metrics. */
export type StageWideStage = keyof typeof stageWideMetrics;

/** The dimensions of `stage`'s stage-wide metrics: its name as the service, no table. */
export function stageWideDimensions(stage: StageWideStage): { readonly service: StageWideStage } {
  return { service: stage };
}

/** The metrics `stage`'s function for `table` publishes stage-wide too (none for most). */
export function stageWideMetricNames<S extends MetricStage>(
  stage: S,
  table?: string,
): readonly StageMetricName<S>[] {
  if (!(stage in stageWideMetrics)) return [];
  const declared: Readonly<Record<string, () => readonly string[]>> =
    stageWideMetrics[stage as StageWideStage];
  return Object.entries(declared)
    .filter(([, tables]) => table !== undefined && tables().includes(table))
    .map(([name]) => name as StageMetricName<S>);
}

/** The stage-wide metric `name` of `stage`: what its one alarm over every table reads. */
export function stageWideMetricOf<S extends StageWideStage>(
  stage: S,
  name: keyof (typeof stageWideMetrics)[S] & StageMetricName<S>,
): MetricReference {
  const units: Readonly<Record<string, MetricUnit>> = stageMetrics[stage];
  const unit = units[name] ?? 'Count';
  return { namespace: metricNamespace, metricName: name, unit, dimensions: stageWideDimensions(stage) };
}

/**
 * The reconciler's `dead_letters` of `stage`: how many messages wait in the stage's DLQs, all
 * tables together.
 *
 * Published only when some do, dimensioned by the reconciler's own dimensions and `stage`.
 */
export function deadLettersMetricOf(stage: StageName): MetricReference {
  const reference = metricOf('reconcile', 'dead_letters');
  return { ...reference, dimensions: { ...reference.dimensions, stage } };
}
