import type { TargetTableName } from '@totes/pipeline';
import type pg from 'pg';
import { type LoadOutcome, loadObject } from '../src/load-object';
import { type ProcessedObjectOptions, type ProcessedRow, processedObject } from './processed-object';

/** Writes rows as a processed object and loads it at `key` through {@link loadObject}. */
export function loadRows<T extends TargetTableName>(
  client: pg.ClientBase,
  table: T,
  key: string,
  rows: readonly ProcessedRow<T>[],
  options: ProcessedObjectOptions = {},
): Promise<LoadOutcome> {
  return loadBytes(client, table, key, processedObject(table, rows, options));
}

/** Loads the given bytes as the object at `key`. */
export function loadBytes(
  client: pg.ClientBase,
  table: TargetTableName,
  key: string,
  bytes: Uint8Array,
): Promise<LoadOutcome> {
  return loadObject(client, {
    table,
    key,
    open: async () => ({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
      eTag: `etag-${bytes.byteLength}`,
      close: async () => undefined,
    }),
  });
}
