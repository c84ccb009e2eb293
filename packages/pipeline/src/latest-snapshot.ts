import { type IngestKey, parseIngestKey, snapshotPrefix } from './ingest-key';
import { KeyLayoutError } from './key-error';
import type { ReferenceTableName } from './source-tables';

/** A snapshot object of a reference table: its parsed key, and the key itself. */
export type SnapshotObject = Extract<IngestKey, { kind: 'snapshot' }> & { readonly key: string };

/**
 * The latest snapshot of a reference table, from the keys listed under its snapshot prefix.
 *
 * See {@link snapshotPrefix}.
 *
 * The greatest key wins (keys start with the time the snapshot was taken, so they sort by it);
 * a key that is not a snapshot of `table` is skipped, not fatal. Undefined when the table has no
 * snapshot yet.
 */
export async function latestSnapshot(
  listed: AsyncIterable<{ readonly key: string }>,
  table: ReferenceTableName,
): Promise<SnapshotObject | undefined> {
  let latest: SnapshotObject | undefined;
  for await (const { key } of listed) {
    if (latest && key <= latest.key) continue;
    let parsed: IngestKey;
    try {
      parsed = parseIngestKey(key);
    } catch (error) {
      if (error instanceof KeyLayoutError) continue;
      throw error;
    }
    if (parsed.kind === 'snapshot' && parsed.table === table) latest = { ...parsed, key };
  }
  return latest;
}
