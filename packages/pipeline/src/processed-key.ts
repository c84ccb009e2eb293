import { type IngestKey, ingestKey, ingestObjectSuffixes, parseIngestKey } from './ingest-key';
import { KeyLayoutError } from './key-error';
import type { SourceTableName } from './source-tables';
import { isWarehouseTableName, type TargetTableName, warehouseTables } from './warehouse-tables';

/**
 * What an object in the processed bucket holds, and so which input it was built from.
 *
 * The key is derived from the input, so processing the same input again yields the same key; a
 * deliberate reprocess raises `generation` and writes beside the old object instead of over it.
 *
 * - `rows`: the rows of one ingest object (facts and dim_transaction).
 * - `rebuild`: a whole dimension, rebuilt from the snapshot `versions` of its inputs
 *   (`takenAt-hash`, as in the snapshot keys), which the loader compares to refuse going back.
 * - `calendar`: dim_date for the days `from` to `to` (YYYYMMDD, inclusive).
 */
export type ProcessedKey =
  | {
      readonly kind: 'rows';
      readonly target: TargetTableName;
      readonly generation: number;
      readonly source: IngestKey;
    }
  | {
      readonly kind: 'rebuild';
      readonly target: TargetTableName;
      readonly generation: number;
      readonly versions: Readonly<Partial<Record<SourceTableName, string>>>;
    }
  | {
      readonly kind: 'calendar';
      readonly target: 'dim_date';
      readonly generation: number;
      readonly from: string;
      readonly to: string;
    };

/** The S3 key of a processed object (Parquet). */
export function processedKey(key: ProcessedKey): string {
  const prefix = `${key.target}/g${key.generation}`;
  switch (key.kind) {
    case 'rows':
      return `${prefix}/${ingestKey(key.source).slice(0, -ingestObjectSuffixes.zstd.length)}.parquet`;
    case 'rebuild': {
      const inputs = warehouseTables[key.target].inputs as readonly SourceTableName[];
      const parts = inputs.map((input) => {
        const version = key.versions[input];
        if (!version) throw new RangeError(`${key.target} needs a version of ${input}`);
        return `${input}=${version}`;
      });
      return `${prefix}/${parts.join('/')}.parquet`;
    }
    case 'calendar':
      return `${prefix}/calendar/${key.from}-${key.to}.parquet`;
  }
}

/** The inverse of {@link processedKey}; throws {@link KeyLayoutError} for any other key. */
export function parseProcessedKey(key: string): ProcessedKey {
  const match = /^([a-z_]+)\/g(\d+)\/(.+)\.parquet$/.exec(key);
  const target = match?.[1];
  if (!match?.[2] || !match[3] || !target || !isWarehouseTableName(target)) {
    throw new KeyLayoutError(key, 'expected <warehouse table>/g<generation>/<input>.parquet');
  }
  const generation = Number(match[2]);
  const rest = match[3];
  const spec = warehouseTables[target];
  if (target === 'dim_date') {
    const calendar = /^calendar\/(\d{8})-(\d{8})$/.exec(rest);
    if (calendar?.[1] && calendar[2])
      return { kind: 'calendar', target, generation, from: calendar[1], to: calendar[2] };
    throw new KeyLayoutError(key, 'dim_date objects are calendar/<from>-<to>.parquet');
  }
  const inputs = spec.inputs as readonly SourceTableName[];
  if (rest.includes('=')) {
    const versions: Partial<Record<SourceTableName, string>> = {};
    const parts = rest.split('/');
    parts.forEach((part, index) => {
      const [input, version, ...extra] = part.split('=');
      if (input !== inputs[index] || !version || extra.length > 0) {
        throw new KeyLayoutError(key, `expected ${inputs.map((name) => `${name}=<version>`).join('/')}`);
      }
      versions[input as SourceTableName] = version;
    });
    if (parts.length !== inputs.length)
      throw new KeyLayoutError(key, `expected a version of each of ${inputs.join(', ')}`);
    return { kind: 'rebuild', target, generation, versions };
  }
  const source = parseIngestKey(`${rest}${ingestObjectSuffixes.zstd}`);
  if (!inputs.includes(source.table))
    throw new KeyLayoutError(key, `${target} is not built from ${source.table}`);
  return { kind: 'rows', target, generation, source };
}
