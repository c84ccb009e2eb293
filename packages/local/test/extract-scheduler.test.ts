import { ExtractRequest, sourceTableNames } from '@totes/pipeline';
import { describe, expect, it, vi } from 'vitest';
import { scheduledRequests, startExtractScheduler } from '../src/index';

describe('scheduledRequests', () => {
  const at = new Date('2024-11-04T09:15:02.345Z');

  it('asks every table for its changes, stamped so FIFO deduplication keeps each tick', () => {
    const requests = scheduledRequests(sourceTableNames, 'incremental', at);
    expect(requests.map((r) => r.table)).toEqual([...sourceTableNames]);
    for (const request of requests) {
      expect(ExtractRequest.parse(request)).toEqual({
        mode: 'incremental',
        table: request.table,
        requestedAt: at.toISOString(),
      });
    }
  });

  it('sweeps only event tables, since reference tables are hashed whole on every request', () => {
    const requests = scheduledRequests(sourceTableNames, 'sweep', at);
    expect(requests.map((r) => r.table).sort()).toEqual([
      'payment',
      'purchase_order',
      'sales_order',
      'transaction',
    ]);
    expect(requests[0]).toMatchObject({ mode: 'sweep', run: '20241104T091502345' });
  });
});

describe('startExtractScheduler', () => {
  it('does not ask a table whose extraction is under way for its changes, and asks it once it is done', async () => {
    vi.useFakeTimers();
    try {
      const sent: string[] = [];
      let paymentBusy = true;
      const scheduler = startExtractScheduler({
        tables: ['payment', 'staff'],
        send: async (request) => void sent.push(`${request.mode} ${request.table}`),
        incrementalSeconds: 2,
        sweepSeconds: 60,
        busy: (table) => table === 'payment' && paymentBusy,
      });
      const first = [...sent];
      sent.length = 0;
      paymentBusy = false;
      await vi.advanceTimersByTimeAsync(2000);
      scheduler.stop();

      expect(first).toEqual(['incremental staff', 'sweep payment']);
      expect(sent).toEqual(['incremental payment', 'incremental staff']);
    } finally {
      vi.useRealTimers();
    }
  });
});
