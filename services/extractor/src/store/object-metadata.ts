import { createHash } from 'node:crypto';
import {
  formatWatermark,
  ingestRowsMetadataName,
  observedAtMetadataName,
  type RescanReason,
  type SourceTableName,
  type Watermark,
} from '@totes/pipeline';
import { columnSpecs, totesysTables } from '@totes/schema';

/** S3 user metadata of an ingest object (lower-case names, ASCII values). */
export type ObjectMetadata = Readonly<Record<string, string>>;

const versions = new Map<SourceTableName, string>();

/**
 * The version of a table's row schema.
 *
 * A short hash of its columns, their types and nullability, so it changes exactly when the declared
 * schema does.
 */
export function schemaVersion(table: SourceTableName): string {
  let version = versions.get(table);
  if (!version) {
    const declaration = JSON.stringify(columnSpecs(totesysTables[table]));
    version = createHash('sha256').update(declaration).digest('hex').slice(0, 12);
    versions.set(table, version);
  }
  return version;
}

/** What every ingest object records: when its rows were read, how many, and its table's schema version. */
function commonMetadata(table: SourceTableName, rows: number, observedAt: string): ObjectMetadata {
  return {
    [observedAtMetadataName]: observedAt,
    [ingestRowsMetadataName]: String(rows),
    'schema-version': schemaVersion(table),
  };
}

/**
 * Metadata of a change object.
 *
 * Rows after `after` up to and including `through`, read at `observedAt` (see
 * `observedAtMetadataName`).
 */
export function changesMetadata(
  table: SourceTableName,
  rows: number,
  after: Watermark | null,
  through: Watermark,
  observedAt: string,
): ObjectMetadata {
  return {
    ...commonMetadata(table, rows, observedAt),
    'watermark-after': after ? formatWatermark(after) : 'start',
    'watermark-through': formatWatermark(through),
  };
}

/** Metadata of a rescan object: rows re-read by key, from `firstId` to `lastId`, read at `observedAt`. */
export function rescanMetadata(
  table: SourceTableName,
  rows: number,
  reason: RescanReason,
  firstId: number,
  lastId: number,
  observedAt: string,
): ObjectMetadata {
  return {
    ...commonMetadata(table, rows, observedAt),
    reason,
    'first-id': String(firstId),
    'last-id': String(lastId),
  };
}

/**
 * Metadata of a snapshot.
 *
 * Every row of a reference table, with the content hash it was taken at and when (`takenAt`, as in
 * its key).
 */
export function snapshotMetadata(
  table: SourceTableName,
  rows: number,
  hash: string,
  takenAt: string,
): ObjectMetadata {
  return {
    ...commonMetadata(table, rows, takenAt),
    'content-hash': hash,
  };
}
