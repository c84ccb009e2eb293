import { describe, expect, it } from 'vitest';
import {
  compactTimestampOf,
  compareWatermarks,
  formatWatermark,
  fromCompactTimestamp,
  isCompactTimestamp,
  observedAtIn,
  observedAtMetadataName,
  observedAtOf,
  parseWatermark,
  processedMetadata,
  readProcessedMetadata,
  toCompactTimestamp,
} from '../src/index';

const pairs = (record: Record<string, string>) =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

describe('watermarks', () => {
  it('round-trip through their key form, which sorts as they do', () => {
    const early = { lastUpdated: '2022-11-03 14:20:52.186', id: 123 };
    const later = { lastUpdated: '2022-11-03 14:20:52.186', id: 124 };
    expect(formatWatermark(early)).toBe('20221103T142052186-0000000123');
    expect(parseWatermark(formatWatermark(later))).toEqual(later);
    expect(formatWatermark(early) < formatWatermark(later)).toBe(true);
  });

  it('order by last_updated first, then by id', () => {
    const at = (lastUpdated: string, id: number) => ({ lastUpdated, id });
    expect(compareWatermarks(at('2022-01-01 00:00:00.000', 9), at('2022-01-02 00:00:00.000', 1))).toBe(-1);
    expect(compareWatermarks(at('2022-01-02 00:00:00.000', 1), at('2022-01-01 00:00:00.000', 9))).toBe(1);
    expect(
      compareWatermarks(at('2022-01-01 00:00:00.000', 2), at('2022-01-01 00:00:00.000', 5)),
    ).toBeLessThan(0);
    expect(compareWatermarks(at('2022-01-01 00:00:00.000', 5), at('2022-01-01 00:00:00.000', 5))).toBe(0);
  });

  it('refuse a key part that is not one, saying what it got', () => {
    expect(() => parseWatermark('20221103T142052186-123')).toThrow(
      /not a watermark: "20221103T142052186-123"/,
    );
    expect(() => parseWatermark('yesterday')).toThrow(RangeError);
  });
});

describe('compact timestamps', () => {
  it('round-trip a totesys timestamp, and refuse other forms either way', () => {
    expect(fromCompactTimestamp(toCompactTimestamp('2024-11-04 09:15:02.345'))).toBe(
      '2024-11-04 09:15:02.345',
    );
    expect(() => toCompactTimestamp('2024-11-04T09:15:02Z')).toThrow(/YYYY-MM-DD HH:MM:SS\.mmm/);
    expect(() => fromCompactTimestamp('2024-11-04')).toThrow(/YYYYMMDDTHHMMSSmmm/);
    expect(isCompactTimestamp('20241104T091502345')).toBe(true);
    expect(isCompactTimestamp('20241104T0915')).toBe(false);
  });

  it('print a moment in UTC', () => {
    expect(compactTimestampOf(new Date('2024-11-04T09:15:02.345Z'))).toBe('20241104T091502345');
  });
});

describe('observation times in ingest metadata', () => {
  it('read one that is a compact timestamp, and nothing otherwise', () => {
    const observed = observedAtOf(new Date('2024-11-04T09:15:02.345Z'));
    expect(observedAtIn({ [observedAtMetadataName]: observed })).toBe('20241104T091502345');
    expect(observedAtIn({})).toBeUndefined();
    expect(observedAtIn({ [observedAtMetadataName]: 'this morning' })).toBeUndefined();
  });
});

describe('processed metadata', () => {
  const quarantined = {
    sourceTable: 'sales_order' as const,
    sourceId: 7,
    objectKey: 'sales_order/changes/x.jsonl.zst',
    line: 3,
    column: 'units_sold',
    value: '-1',
    reason: 'below zero',
  };

  it('round-trips every optional part', () => {
    const metadata = {
      sources: ['sales_order/changes/x.jsonl.zst'],
      maxLastUpdated: '2024-11-04 09:15:02.345',
      observedAt: '20241104T091503000',
      rows: 41,
      observed: { sales_order: '2024-11-04 09:15:03.000' },
      quarantined: 1,
      quarantine: [quarantined],
    };
    expect(readProcessedMetadata(pairs(processedMetadata(metadata)))).toEqual(metadata);
  });

  it('leaves out what an object does not have', () => {
    const metadata = { sources: [], rows: 0 };
    const written = processedMetadata(metadata);
    expect(Object.keys(written)).toEqual(['totes.sources', 'totes.schema_version', 'totes.rows']);
    expect(readProcessedMetadata(pairs(written))).toEqual(metadata);
  });

  it('refuses a footer that is not a processed object’s, naming the key', () => {
    const good = processedMetadata({ sources: ['a'], rows: 1 });
    expect(() => readProcessedMetadata(undefined)).toThrow(/totes\.sources/);
    expect(() => readProcessedMetadata(pairs({ ...good, 'totes.sources': '[not json' }))).toThrow(/not JSON/);
    expect(() => readProcessedMetadata(pairs({ ...good, 'totes.schema_version': '2' }))).toThrow(
      /only layout version 1/,
    );
    expect(() => readProcessedMetadata(pairs({ ...good, 'totes.rows': 'many' }))).toThrow(/whole number/);
    expect(() =>
      readProcessedMetadata(
        pairs({ ...good, 'totes.observed': JSON.stringify({ nowhere: '2024-11-04 09:15:03.000' }) }),
      ),
    ).toThrow(/totes\.observed/);
  });
});
