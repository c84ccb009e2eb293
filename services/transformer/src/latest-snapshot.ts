import { type IngestKey, parseIngestKey, type ReferenceTableName } from '@totes/pipeline';
import type { ObjectStore } from '@totes/runtime';

/** A snapshot object of a reference table. */
export type SnapshotObject = Extract<IngestKey, { kind: 'snapshot' }> & { readonly key: string };

/**
 * The latest snapshot of a reference table: the greatest key under `<table>/snapshots/` (keys
 * start with the time the snapshot was taken, so they sort by it). Keys that are not snapshot
 * keys are ignored. Undefined when the table has no snapshot yet.
 */
export async function latestSnapshot(
  store: Pick<ObjectStore, 'list'>,
  table: ReferenceTableName,
): Promise<SnapshotObject | undefined> {
  let latest: SnapshotObject | undefined;
  for await (const { key } of store.list(`${table}/snapshots/`)) {
    if (latest && key <= latest.key) continue;
    let parsed: IngestKey;
    try {
      parsed = parseIngestKey(key);
    } catch {
      continue;
    }
    if (parsed.kind === 'snapshot' && parsed.table === table) latest = { ...parsed, key };
  }
  return latest;
}
