import { describe, expect, it } from 'vitest';
import {
  type IngestKey,
  observedAt,
  processedMetadata,
  type QuarantinedRow,
  quarantineDetailLimit,
  quarantinedValue,
  readProcessedMetadata,
} from '../src/index';

const row = (line: number): QuarantinedRow => ({
  sourceTable: 'sales_order',
  sourceId: line,
  objectKey: 'sales_order/changes/x.jsonl.zst',
  line,
  column: 'agreed_delivery_date',
  value: '"soon"',
  reason: 'Invalid ISO date',
});
const pairs = (metadata: Record<string, string>) =>
  Object.entries(metadata).map(([key, value]) => ({ key, value }));

describe('quarantined rows in a processed object’s footer', () => {
  it('reads back what was written: when the rows were observed, the count and the rows', () => {
    const written = {
      sources: ['a'],
      rows: 3,
      observed: { sales_order: '2024-11-04 10:00:00.000' },
      quarantined: 1,
      quarantine: [row(2)],
    };
    expect(readProcessedMetadata(pairs(processedMetadata(written)))).toEqual(written);
  });

  it('describes at most the first rows one by one, and counts them all', () => {
    const many = Array.from({ length: quarantineDetailLimit + 5 }, (_, index) => row(index + 1));
    const read = readProcessedMetadata(
      pairs(processedMetadata({ sources: [], rows: 0, quarantined: many.length, quarantine: many })),
    );
    expect(read.quarantined).toBe(quarantineDetailLimit + 5);
    expect(read.quarantine).toHaveLength(quarantineDetailLimit);
  });

  it('writes no quarantine keys when no row was quarantined, so older readers see the same footer', () => {
    expect(Object.keys(processedMetadata({ sources: [], rows: 1, quarantined: 0 }))).toEqual([
      'totes.sources',
      'totes.schema_version',
      'totes.rows',
    ]);
  });

  it('refuses a quarantine entry of a table the topology does not know', () => {
    const metadata = processedMetadata({ sources: [], rows: 0, quarantined: 1, quarantine: [row(1)] });
    metadata['totes.quarantine'] = metadata['totes.quarantine']?.replace('sales_order"', 'customers"') ?? '';
    expect(() => readProcessedMetadata(pairs(metadata))).toThrow(RangeError);
  });
});

describe('observedAt', () => {
  it('is a snapshot’s time, a rescan’s run, and the last_updated a change batch reaches', () => {
    const keys: [IngestKey, string][] = [
      [
        { kind: 'snapshot', table: 'currency', takenAt: '20241104T091502345', hash: '0123456789abcdef' },
        '2024-11-04 09:15:02.345',
      ],
      [
        {
          kind: 'rescan',
          table: 'payment',
          reason: 'sweep',
          run: '20241105T080000000',
          firstId: 1,
          lastId: 9,
        },
        '2024-11-05 08:00:00.000',
      ],
      [
        {
          kind: 'changes',
          table: 'payment',
          after: null,
          through: { lastUpdated: '2024-11-04 10:11:12.013', id: 4 },
        },
        '2024-11-04 10:11:12.013',
      ],
    ];
    for (const [key, expected] of keys) expect(observedAt(key)).toBe(expected);
  });

  it('keeps values short', () => {
    expect(quarantinedValue('x'.repeat(500))).toHaveLength(200);
    expect(quarantinedValue(null)).toBe('null');
    expect(quarantinedValue(undefined)).toBeNull();
  });
});
