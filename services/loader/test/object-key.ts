import { processedKey, type SourceTableName, type TargetTableName, warehouseTables } from '@totes/pipeline';

let sequence = 0;

/**
 * A snapshot version (`<takenAt>-<hash>`) taken on day `day` of November 2024, with a hash of its
 * own unless one is given (every call names different content).
 */
export function snapshotVersion(day: number, hash?: string): string {
  sequence += 1;
  const content = hash ?? sequence.toString(16).padStart(16, '0');
  return `202411${String(day).padStart(2, '0')}T091502345-${content}`;
}

/**
 * A processed-object key for `table` in the layout the transformer writes: a calendar range for
 * dim_date, a rebuild from snapshots (all of day `day` unless `versions` says otherwise) for
 * dimensions of reference tables, and rows of a new change batch otherwise (unique per call).
 */
export function objectKey(
  table: TargetTableName,
  options: {
    readonly day?: number;
    readonly versions?: Partial<Record<SourceTableName, string>>;
    readonly generation?: number;
  } = {},
): string {
  const generation = options.generation ?? 1;
  if (table === 'dim_date') {
    sequence += 1;
    return processedKey({
      kind: 'calendar',
      target: table,
      generation,
      from: '20241104',
      to: `2024${1108 + sequence}`,
    });
  }
  const [input] = warehouseTables[table].inputs as readonly SourceTableName[];
  if (!input) throw new Error(`${table} has no input`);
  if (['sales_order', 'purchase_order', 'transaction', 'payment'].includes(input)) {
    sequence += 1;
    return processedKey({
      kind: 'rows',
      target: table,
      generation,
      source: {
        kind: 'changes',
        table: input as 'sales_order',
        after: null,
        through: { lastUpdated: '2024-11-04 14:20:52.186', id: sequence },
      },
    });
  }
  const versions = Object.fromEntries(
    (warehouseTables[table].inputs as readonly SourceTableName[]).map((name) => [
      name,
      options.versions?.[name] ?? snapshotVersion(options.day ?? 4),
    ]),
  );
  return processedKey({ kind: 'rebuild', target: table, generation, versions });
}
