import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from '../src/index';

/** The embedded-metric-format documents written to stdout while `act` runs. */
function emitted(act: () => void): Record<string, unknown>[] {
  const lines: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    act();
  } finally {
    write.mockRestore();
  }
  return lines
    .join('')
    .split('\n')
    .filter((line) => line.includes('CloudWatchMetrics'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('createMetrics', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes nothing for a run whose counts are all zero, its duration included', () => {
    const metrics = createMetrics('extract', 'sales_order');
    const documents = emitted(() => {
      metrics.add('rows_extracted', 0);
      metrics.add('objects_written', 0);
      metrics.add('extract_seconds', 0.2);
      metrics.flush();
    });
    expect(documents).toEqual([]);
  });

  it('writes every metric of a run that counted something, dimensioned by service and table on every flush', () => {
    const metrics = createMetrics('extract', 'sales_order');
    const documents = emitted(() => {
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
});
