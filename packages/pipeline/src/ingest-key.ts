import { isCompactTimestamp } from './compact-timestamp';
import { KeyLayoutError } from './key-error';
import {
  type EventTableName,
  isReferenceTable,
  isSourceTableName,
  type ReferenceTableName,
} from './source-tables';
import { formatWatermark, parseWatermark, type Watermark } from './watermark';

/**
 * What an object in the ingest bucket holds.
 *
 * Every key is a pure function of its content, so extracting the same rows again yields the same
 * key, and new data always gets a new key.
 *
 * - `changes`: event-table rows after watermark `after` (exclusive; null at the start) up to and
 *   including `through`.
 * - `rescan`: event-table rows read by id range: by the `initial` extraction of a table (every
 *   row below a commit horizon; `run` is that horizon), by a `sweep` (buckets whose content
 *   changed) or by a `full` re-extraction (`run` is the compact timestamp of the request).
 * - `snapshot`: every row of a reference table, taken at `takenAt` with content hash `hash`.
 */
export type IngestKey =
  | {
      readonly kind: 'changes';
      readonly table: EventTableName;
      readonly after: Watermark | null;
      readonly through: Watermark;
    }
  | {
      readonly kind: 'rescan';
      readonly table: EventTableName;
      readonly reason: RescanReason;
      readonly run: string;
      readonly firstId: number;
      readonly lastId: number;
    }
  | {
      readonly kind: 'snapshot';
      readonly table: ReferenceTableName;
      readonly takenAt: string;
      readonly hash: string;
    };

/** The key prefix under which a reference table's snapshots are written. */
export function snapshotPrefix(table: ReferenceTableName): string {
  return `${table}/snapshots/`;
}

/** Why rows were read by id range (see {@link IngestKey}). */
export type RescanReason = 'initial' | 'sweep' | 'full';
const rescanReasons: readonly string[] = ['initial', 'sweep', 'full'] satisfies readonly RescanReason[];

// Sorts before every watermark, so a table's change objects list in watermark order.
const start = '00000000T000000000-0000000000';
const idDigits = 10;
const pad = (id: number) => String(id).padStart(idDigits, '0');

/**
 * How an ingest object's JSON Lines are compressed.
 *
 * `zstd` (one zstd frame, `.jsonl.zst`), the default since decision 0003, or `gzip` (`.jsonl.gz`),
 * what the extractor wrote before it and can still be set to write. Objects written before
 * compression end in plain `.jsonl`. Every ending is read, and the endings of one object's content
 * name the same content.
 */
export type IngestCompression = 'zstd' | 'gzip';

/** Every {@link IngestCompression}, the default first. */
export const ingestCompressions = ['zstd', 'gzip'] as const satisfies readonly IngestCompression[];

/** The file name ending of ingest objects by how they are compressed. */
export const ingestObjectSuffixes: Readonly<Record<IngestCompression, string>> = {
  zstd: '.jsonl.zst',
  gzip: '.jsonl.gz',
};
const plainSuffix = '.jsonl';

/** How an ingest object's body is compressed, by its key's ending; undefined for plain `.jsonl`. */
export function ingestCompressionOf(key: string): IngestCompression | undefined {
  if (key.endsWith(ingestObjectSuffixes.zstd)) return 'zstd';
  if (key.endsWith(ingestObjectSuffixes.gzip)) return 'gzip';
  return undefined;
}

/** The S3 key of an ingest object (JSON Lines, compressed with `compression`). */
export function ingestKey(key: IngestKey, compression: IngestCompression = 'zstd'): string {
  const suffix = ingestObjectSuffixes[compression];
  switch (key.kind) {
    case 'changes':
      return `${key.table}/changes/${key.after ? formatWatermark(key.after) : start}_${formatWatermark(key.through)}${suffix}`;
    case 'rescan':
      return `${key.table}/${key.reason}/${key.run}/${pad(key.firstId)}-${pad(key.lastId)}${suffix}`;
    case 'snapshot':
      return `${snapshotPrefix(key.table)}${key.takenAt}-${key.hash}${suffix}`;
  }
}

/** The inverse of {@link ingestKey}; throws {@link KeyLayoutError} for any other key. */
export function parseIngestKey(key: string): IngestKey {
  const parts = key.split('/');
  const [table, kind] = parts;
  if (!table || !isSourceTableName(table))
    throw new KeyLayoutError(key, 'it does not start with a source table');
  const file = parts.at(-1) ?? '';
  const endings = [...Object.values(ingestObjectSuffixes), plainSuffix];
  const suffix = endings.find((ending) => file.endsWith(ending));
  if (!suffix) throw new KeyLayoutError(key, `ingest objects end in ${endings.join(', ')}`);
  const stem = file.slice(0, -suffix.length);
  const reference = isReferenceTable(table);
  try {
    if (kind === 'snapshots' && reference && parts.length === 3) {
      const match = /^(\d{8}T\d{9})-([0-9a-f]{16,64})$/.exec(stem);
      if (match?.[1] && match[2]) return { kind: 'snapshot', table, takenAt: match[1], hash: match[2] };
    }
    if (kind === 'changes' && !reference && parts.length === 3) {
      const [after, through, ...rest] = stem.split('_');
      if (after && through && rest.length === 0) {
        return {
          kind: 'changes',
          table,
          after: after === start ? null : parseWatermark(after),
          through: parseWatermark(through),
        };
      }
    }
    if (kind && rescanReasons.includes(kind) && !reference && parts.length === 4) {
      const run = parts[2] ?? '';
      const match = /^(\d{10})-(\d{10})$/.exec(stem);
      if (isCompactTimestamp(run) && match?.[1] && match[2]) {
        return {
          kind: 'rescan',
          table,
          reason: kind as RescanReason,
          run,
          firstId: Number(match[1]),
          lastId: Number(match[2]),
        };
      }
    }
  } catch (error) {
    throw new KeyLayoutError(key, error instanceof Error ? error.message : String(error));
  }
  throw new KeyLayoutError(key, `no ${reference ? 'reference' : 'event'}-table layout matches`);
}
