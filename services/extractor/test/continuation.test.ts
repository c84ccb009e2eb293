import { ExtractRequest } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { continuationOf } from '../src/modes/continuation';

describe('continuationOf', () => {
  it('continues an incremental run from its watermark, deduplicated by that position', () => {
    const continuation = continuationOf('sales_order', {
      mode: 'incremental',
      watermark: { lastUpdated: '2022-11-03 14:20:52.186', id: 123 },
    });

    expect(continuation).toEqual({
      request: { mode: 'incremental', table: 'sales_order' },
      deduplicationId: 'sales_order-incremental-20221103T142052186-0000000123',
    });
  });

  it('continues a first extraction by the last key it took, a new id for each chunk', () => {
    const ids = [20, 40].map(
      (initialAfterId) =>
        continuationOf('sales_order', { mode: 'incremental', watermark: null, initialAfterId })
          .deduplicationId,
    );

    expect(ids).toEqual(['sales_order-incremental-start-20', 'sales_order-incremental-start-40']);
    expect(continuationOf('sales_order', { mode: 'incremental', watermark: null }).request).toEqual({
      mode: 'incremental',
      table: 'sales_order',
    });
  });

  it('continues full and sweep runs from the position they carry', () => {
    const full = continuationOf('payment', { mode: 'full', run: '20241104T091502345', afterId: 50_000 });
    const sweep = continuationOf('payment', { mode: 'sweep', run: '20241104T091502345', afterBucket: 49 });

    expect(full.request).toEqual({
      mode: 'full',
      table: 'payment',
      run: '20241104T091502345',
      afterId: 50_000,
    });
    expect(sweep.request).toEqual({
      mode: 'sweep',
      table: 'payment',
      run: '20241104T091502345',
      afterBucket: 49,
    });
    expect(full.deduplicationId).toBe('payment-full-20241104T091502345-50000');
    expect(sweep.deduplicationId).toBe('payment-sweep-20241104T091502345-49');
  });

  it('gives a different id to every position and valid FIFO ids and requests', () => {
    const ids = [0, 1, 2].map(
      (afterId) =>
        continuationOf('transaction', { mode: 'full', run: '20241104T091502345', afterId }).deduplicationId,
    );

    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9!-/:-@[-`{-~]{1,128}$/);
    const { request } = continuationOf('transaction', {
      mode: 'sweep',
      run: '20241104T091502345',
      afterBucket: null,
    });
    expect(ExtractRequest.parse(request)).toEqual(request);
  });
});
