import { describe, expect, it } from 'vitest';
import {
  type IngestKey,
  ingestCompressionOf,
  ingestKey,
  ingestObjectSuffixes,
  KeyLayoutError,
  type ProcessedKey,
  parseIngestKey,
  parseProcessedKey,
  processedKey,
  sourceTableNames,
  sourceTables,
  warehouseTableNames,
  warehouseTables,
} from '../src/index';

const through = { lastUpdated: '2024-11-04 09:15:02.345', id: 11_234 };
const after = { lastUpdated: '2022-11-03 14:20:52.186', id: 1 };

function sampleIngestKeys(): IngestKey[] {
  return sourceTableNames.flatMap((table): IngestKey[] =>
    sourceTables[table].kind === 'reference'
      ? [{ kind: 'snapshot', table: table as never, takenAt: '20241104T091502345', hash: '0123456789abcdef' }]
      : [
          { kind: 'changes', table: table as never, after: null, through },
          { kind: 'changes', table: table as never, after, through },
          {
            kind: 'rescan',
            table: table as never,
            reason: 'initial',
            run: '20241104T091457345',
            firstId: 1,
            lastId: 50_000,
          },
          {
            kind: 'rescan',
            table: table as never,
            reason: 'sweep',
            run: '20241104T000000000',
            firstId: 1,
            lastId: 4096,
          },
          {
            kind: 'rescan',
            table: table as never,
            reason: 'full',
            run: '20241104T000000000',
            firstId: 50_001,
            lastId: 100_000,
          },
        ],
  );
}

describe('ingest keys', () => {
  it.each(sampleIngestKeys().map((key) => [ingestKey(key), key] as const))('round-trips %s', (text, key) => {
    expect(parseIngestKey(text)).toEqual(key);
  });

  it('sorts change objects of a table in watermark order', () => {
    const first = ingestKey({ kind: 'changes', table: 'payment', after: null, through: after });
    const second = ingestKey({ kind: 'changes', table: 'payment', after, through });
    expect([second, first].sort()).toEqual([first, second]);
  });

  it('names every new object as zstd-compressed JSON Lines, or gzip-compressed when asked', () => {
    for (const key of sampleIngestKeys()) {
      expect(ingestKey(key).endsWith(ingestObjectSuffixes.zstd)).toBe(true);
      expect(ingestCompressionOf(ingestKey(key))).toBe('zstd');
      expect(ingestKey(key, 'gzip').endsWith(ingestObjectSuffixes.gzip)).toBe(true);
      expect(ingestCompressionOf(ingestKey(key, 'gzip'))).toBe('gzip');
    }
  });

  it('reads the keys of gzip and plain JSON Lines objects as the same content', () => {
    for (const key of sampleIngestKeys()) {
      const plain = ingestKey(key).slice(0, -'.zst'.length);
      expect(plain.endsWith('.jsonl')).toBe(true);
      expect(ingestCompressionOf(plain)).toBeUndefined();
      expect(parseIngestKey(plain)).toEqual(key);
      expect(parseIngestKey(ingestKey(key, 'gzip'))).toEqual(key);
    }
  });

  it('names the same content the same way, and different content differently', () => {
    const keys = sampleIngestKeys().map((key) => ingestKey(key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    [
      'an unknown table',
      'customers/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.jsonl',
    ],
    ['_prisma_migrations', '_prisma_migrations/snapshots/20241104T091502345-0123456789abcdef.jsonl'],
    ['a snapshot of an event table', 'sales_order/snapshots/20241104T091502345-0123456789abcdef.jsonl'],
    [
      'changes of a reference table',
      'staff/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.jsonl',
    ],
    ['a malformed watermark', 'payment/changes/00000000T000000000-0000000000_2024-11-04-0000011234.jsonl'],
    ['a wrong extension', 'payment/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.json'],
    [
      'another compression',
      'payment/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.jsonl.bz2',
    ],
    ['a missing run', 'payment/sweep/0000000001-0000004096.jsonl'],
  ])('rejects %s with a KeyLayoutError naming the key', (_, key) => {
    expect(() => parseIngestKey(key)).toThrow(KeyLayoutError);
    expect(() => parseIngestKey(key)).toThrow(key);
  });
});

function sampleProcessedKeys(): ProcessedKey[] {
  const ingest = sampleIngestKeys();
  return warehouseTableNames.flatMap((target): ProcessedKey[] => {
    const inputs: readonly string[] = warehouseTables[target].inputs;
    if (target === 'dim_date')
      return [{ kind: 'calendar', target, generation: 1, from: '20200101', to: '20301231' }];
    const fromRows = ingest
      .filter((key) => inputs.includes(key.table) && key.kind !== 'snapshot')
      .map((source): ProcessedKey => ({ kind: 'rows', target, generation: 1, source }));
    if (fromRows.length > 0) return fromRows;
    const versions = Object.fromEntries(
      inputs.map((input, i) => [input, `2024110${i + 1}T091502345-0123456789abcdef`]),
    );
    return [
      { kind: 'rebuild', target, generation: 1, versions },
      { kind: 'rebuild', target, generation: 2, versions },
    ];
  });
}

describe('processed keys', () => {
  it.each(sampleProcessedKeys().map((key) => [processedKey(key), key] as const))(
    'round-trips %s',
    (text, key) => {
      expect(parseProcessedKey(text)).toEqual(key);
    },
  );

  it('derives a fact object key from its input key, so the same input maps to the same output', () => {
    const source = parseIngestKey(
      'sales_order/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.jsonl',
    );
    const key = processedKey({ kind: 'rows', target: 'fact_sales_order', generation: 1, source });
    // The same rows, compressed either way or not, are one processed object: loading them again is a no-op.
    for (const ending of ['.jsonl.gz', '.jsonl.zst']) {
      const compressed = parseIngestKey(
        `sales_order/changes/00000000T000000000-0000000000_20241104T091502345-0000011234${ending}`,
      );
      expect(
        processedKey({ kind: 'rows', target: 'fact_sales_order', generation: 1, source: compressed }),
      ).toBe(key);
    }
    expect(key).toBe(
      'fact_sales_order/g1/sales_order/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.parquet',
    );
  });

  it('starts every key with its warehouse table, which the load subscriptions filter on', () => {
    for (const key of sampleProcessedKeys())
      expect(processedKey(key).startsWith(`${key.target}/`)).toBe(true);
  });

  it.each([
    [
      'an unknown target',
      'fact_refund/g1/payment/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.parquet',
    ],
    [
      'an input that does not feed the target',
      'fact_payment/g1/sales_order/changes/00000000T000000000-0000000000_20241104T091502345-0000011234.parquet',
    ],
    ['a rebuild missing an input', 'dim_staff/g1/staff=20241104T091502345-0123456789abcdef.parquet'],
    ['a rebuild with inputs out of order', 'dim_staff/g1/department=a/staff=b.parquet'],
    ['no generation', 'dim_location/address=20241104T091502345-0123456789abcdef.parquet'],
  ])('rejects %s', (_, key) => {
    expect(() => parseProcessedKey(key)).toThrow(KeyLayoutError);
  });
});
