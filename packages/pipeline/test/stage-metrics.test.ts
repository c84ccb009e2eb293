import { describe, expect, it } from 'vitest';
import {
  deadLettersMetricOf,
  freshnessWatchedTables,
  metricDimensions,
  metricNamespace,
  metricOf,
  serviceName,
  stageMetrics,
  stageWideMetricNames,
  stageWideMetricOf,
  warehouseTableNames,
} from '../src/index';

describe('the metric declaration', () => {
  it('names every metric in snake_case', () => {
    const names = Object.values(stageMetrics).flatMap((metrics) => Object.keys(metrics));
    expect(names.filter((name) => !/^[a-z]+(_[a-z]+)*$/.test(name))).toEqual([]);
  });

  it('dimensions a table function by its stage and table, the reconciler by itself', () => {
    expect(metricDimensions('load', 'fact_payment')).toEqual({
      service: 'load-fact_payment',
      table: 'fact_payment',
    });
    expect(metricDimensions('reconcile')).toEqual({ service: 'reconcile', table: 'all' });
    expect(serviceName('extract', 'staff')).toBe('extract-staff');
  });

  it('refuses to dimension a table stage without its table', () => {
    expect(() => metricDimensions('transform')).toThrow(/dimensioned by a table/);
  });

  it('gives an alarm the namespace, name, unit and dimensions the function emits', () => {
    expect(metricOf('load', 'freshness_seconds', 'fact_sales_order')).toEqual({
      namespace: metricNamespace,
      metricName: 'freshness_seconds',
      unit: 'Seconds',
      dimensions: { service: 'load-fact_sales_order', table: 'fact_sales_order' },
    });
  });

  it('refuses a metric its stage does not declare', () => {
    expect(() => metricOf('extract', 'rows_loaded' as never, 'staff')).toThrow(
      /declares no metric rows_loaded/,
    );
  });

  it('publishes quarantined rows of every transformer and freshness of the watched tables stage-wide too, nothing else', () => {
    for (const table of warehouseTableNames) {
      expect(stageWideMetricNames('transform', table)).toEqual(['rows_quarantined']);
      expect(stageWideMetricNames('load', table)).toEqual(
        freshnessWatchedTables().includes(table) ? ['freshness_seconds'] : [],
      );
    }
    expect(stageWideMetricNames('load', 'dim_staff')).toEqual([]);
    expect(stageWideMetricNames('extract', 'staff')).toEqual([]);
    expect(stageWideMetricNames('reconcile')).toEqual([]);
    expect(stageWideMetricNames('transform')).toEqual([]);
  });

  it('dimensions a stage-wide metric by the stage alone, and dead letters by the reconciler and the stage', () => {
    expect(stageWideMetricOf('load', 'freshness_seconds')).toEqual({
      namespace: metricNamespace,
      metricName: 'freshness_seconds',
      unit: 'Seconds',
      dimensions: { service: 'load' },
    });
    expect(stageWideMetricOf('transform', 'rows_quarantined').dimensions).toEqual({ service: 'transform' });
    expect(deadLettersMetricOf('extract')).toEqual({
      namespace: metricNamespace,
      metricName: 'dead_letters',
      unit: 'Count',
      dimensions: { service: 'reconcile', table: 'all', stage: 'extract' },
    });
  });
});
