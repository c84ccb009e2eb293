import { emittedMetrics } from '@totes/test-harness';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../src/index';

describe('createMetrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes nothing for a run whose counts are all zero, its duration included', async () => {
    const metrics = createMetrics('extract', 'sales_order');
    const documents = await emittedMetrics(() => {
      metrics.add('rows_extracted', 0);
      metrics.add('objects_written', 0);
      metrics.add('extract_seconds', 0.2);
      metrics.flush();
    });
    expect(documents).toEqual([]);
  });

  it('writes every metric of a run that counted something, dimensioned by service and table on every flush', async () => {
    const metrics = createMetrics('extract', 'sales_order');
    const documents = await emittedMetrics(() => {
      for (const rows of [3, 0, 5]) {
        metrics.add('rows_extracted', rows);
        metrics.add('extract_seconds', 1);
        metrics.flush();
      }
    });
    // The idle run between the two is left out; the dimensions stay after the first flush.
    expect(documents).toHaveLength(2);
    for (const [document, rows] of documents.map((d, i) => [d, [3, 5][i]] as const)) {
      expect(document).toMatchObject({
        service: 'extract-sales_order',
        table: 'sales_order',
        rows_extracted: rows,
        extract_seconds: 1,
      });
      const [directive] = (document._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] })
        .CloudWatchMetrics;
      expect(directive?.Dimensions).toEqual([['service', 'table']]);
    }
  });

  it('writes the metrics its stage publishes stage-wide a second time, in a line dimensioned by the stage alone', async () => {
    const documents = await emittedMetrics(() => {
      const metrics = createMetrics('transform', 'fact_payment');
      metrics.add('rows_in', 4);
      metrics.add('rows_quarantined', 2);
      metrics.flush();
    });
    expect(documents).toHaveLength(2);
    const [, wide] = documents;
    expect(wide).toMatchObject({ service: 'transform', rows_quarantined: 2 });
    expect(wide).not.toHaveProperty('table');
    expect(wide).not.toHaveProperty('rows_in');
    const [directive] =
      (wide?._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] } | undefined)?.CloudWatchMetrics ??
      [];
    expect(directive?.Dimensions).toEqual([['service']]);
  });

  it('writes no stage-wide line for a run that did not add its metric, nor for an idle run', async () => {
    const metrics = createMetrics('load', 'fact_payment');
    const documents = await emittedMetrics(() => {
      metrics.add('rows_inserted', 1);
      metrics.flush();
      metrics.add('rows_inserted', 0);
      metrics.add('freshness_seconds', 9);
      metrics.flush();
    });
    expect(documents.map((document) => document.service)).toEqual(['load-fact_payment']);
  });

  it('writes a count by stage in a line of its own with the stage as a dimension, and nothing for a zero', async () => {
    const metrics = createMetrics('reconcile');
    const documents = await emittedMetrics(() => {
      metrics.addForStage('dead_letters', 'load', 2);
      metrics.addForStage('dead_letters', 'load', 1);
      metrics.addForStage('dead_letters', 'transform', 0);
      metrics.add('objects_requeued', 0);
      metrics.flush();
      // Counted once: the next flush starts again.
      metrics.flush();
    });
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      service: 'reconcile',
      table: 'all',
      stage: 'load',
      dead_letters: 3,
    });
    const [directive] =
      (documents[0]?._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] } | undefined)
        ?.CloudWatchMetrics ?? [];
    expect(directive?.Dimensions).toEqual([['service', 'table', 'stage']]);
  });
});
