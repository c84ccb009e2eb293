import {
  compactTimestampOf,
  ingestKey,
  latestSnapshot,
  type ReferenceTableName,
  snapshotPrefix,
} from '@totes/pipeline';
import { emptyBody } from '../compression/compressed-chunk';
import type { ExtractContext, ExtractOutcome } from '../extract-context';
import { snapshotMetadata } from '../store/object-metadata';

// A snapshot is one object whatever its size: reference tables are small (a few thousand rows,
// well under a megabyte compressed).
const wholeTable = Number.MAX_SAFE_INTEGER;

/**
 * Extraction of a reference table.
 *
 * Hashes its content and, when the hash differs from the latest snapshot's (whether or not any
 * `last_updated` moved), writes a full snapshot taken in the same transaction, streamed into the
 * upload. A `full` request (`force`) writes one whatever the hash, once per run.
 */
export async function extractSnapshot(
  context: ExtractContext,
  table: ReferenceTableName,
  force?: { readonly run: string },
): Promise<ExtractOutcome> {
  const { config, source, store } = context;
  let state = await context.state.read(table);
  const previousHash = state.snapshot?.hash ?? null;
  const nothingWritten = (
    snapshot: string,
    hash: string | null,
    existing: readonly string[] = [],
  ): ExtractOutcome => ({
    rows: 0,
    written: [],
    existing,
    details: { snapshot, hash, previousHash },
  });
  if (force && state.full?.run === force.run) return nothingWritten('written-already', previousHash);
  return await source.transaction('repeatable read', async () => {
    const { hash, rows } = await source.contentHash();
    if (!force && previousHash === hash) return nothingWritten('unchanged', hash);
    if (!force) {
      // The state can lag the bucket by one snapshot when a run stopped between the two writes.
      const latest = await latestSnapshot(store.list(snapshotPrefix(table)), table);
      if (latest?.hash === hash) {
        state = { ...state, snapshot: { key: latest.key, hash: latest.hash } };
        await context.state.write(table, state);
        // The run that wrote it stopped before its state, perhaps before its notification too.
        return nothingWritten('unchanged', hash, [latest.key]);
      }
    }
    const takenAt = compactTimestampOf(context.now());
    const key = ingestKey({ kind: 'snapshot', table, takenAt, hash }, config.ingestCompression);
    let body: Buffer | undefined;
    for await (const chunk of source.chunks(source.queries.all, {}, wholeTable)) body = chunk.body;
    // An empty table is an empty JSON Lines file, still a valid compressed stream.
    await store.put(
      key,
      body ?? emptyBody(config.ingestCompression),
      snapshotMetadata(table, rows, hash, takenAt),
    );
    state = { ...state, snapshot: { key, hash }, ...(force ? { full: { run: force.run, afterId: 0 } } : {}) };
    await context.state.write(table, state);
    return { rows, written: [key], existing: [], details: { snapshot: 'written', hash, previousHash } };
  });
}
