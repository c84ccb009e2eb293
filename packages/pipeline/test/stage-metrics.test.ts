import { describe, expect, it } from 'vitest';
import { metricDimensions, metricNamespace, metricOf, serviceName, stageMetrics } from '../src/index';

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
});
