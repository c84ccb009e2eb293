import { Readable } from 'node:stream';
import { compactTimestampOf, ingestKey, parseIngestKey, type ReferenceTableName } from '@totes/pipeline';
import type { ExtractContext, ExtractOutcome } from './extract-context';
import type { RenderedChunk } from './json-lines-chunker';
import { snapshotMetadata } from './object-metadata';

// Rows per piece of a snapshot streamed into its upload.
const pieceRows = 10_000;

async function* bodies(chunks: AsyncIterable<RenderedChunk>): AsyncGenerator<Buffer> {
  for await (const chunk of chunks) yield chunk.body;
}

async function latestSnapshot(
  store: ExtractContext['store'],
  table: ReferenceTableName,
): Promise<{ key: string; hash: string } | undefined> {
  let latest: { key: string; hash: string } | undefined;
  for await (const object of store.list(`${table}/snapshots/`)) {
    const parsed = parseIngestKey(object.key);
    if (parsed.kind === 'snapshot') latest = { key: object.key, hash: parsed.hash };
  }
  return latest;
}

/**
 * Extraction of a reference table: hashes its content and, when the hash differs from the latest
 * snapshot's (whether or not any `last_updated` moved), writes a full snapshot taken in the same
 * transaction, streamed into the upload. A `full` request (`force`) writes one whatever the hash,
 * once per run.
 */
export async function extractSnapshot(
  context: ExtractContext,
  table: ReferenceTableName,
  force?: { readonly run: string },
): Promise<ExtractOutcome> {
  const { source, store } = context;
  let state = await context.state.read(table);
  const previousHash = state.snapshot?.hash ?? null;
  const nothingWritten = (snapshot: string, hash: string | null): ExtractOutcome => ({
    rows: 0,
    written: [],
    existing: [],
    details: { snapshot, hash, previousHash },
  });
  if (force && state.full?.run === force.run) return nothingWritten('written-already', previousHash);
  return await source.transaction('repeatable read', async () => {
    const { hash, rows } = await source.contentHash();
    if (!force && previousHash === hash) return nothingWritten('unchanged', hash);
    if (!force) {
      // The state can lag the bucket by one snapshot when a run stopped between the two writes.
      const latest = await latestSnapshot(store, table);
      if (latest?.hash === hash) {
        state = { ...state, snapshot: latest };
        await context.state.write(table, state);
        return nothingWritten('unchanged', hash);
      }
    }
    const key = ingestKey({ kind: 'snapshot', table, takenAt: compactTimestampOf(context.now()), hash });
    const pieces = bodies(source.chunks(source.queries.all, {}, pieceRows));
    const body = Readable.from(pieces);
    try {
      await store.put(key, body, snapshotMetadata(table, rows, hash));
    } catch (error) {
      // Stops the COPY before the transaction ends, so the connection is not left mid-statement.
      body.destroy();
      await pieces.return(undefined);
      throw error;
    }
    state = { ...state, snapshot: { key, hash }, ...(force ? { full: { run: force.run, afterId: 0 } } : {}) };
    await context.state.write(table, state);
    return { rows, written: [key], existing: [], details: { snapshot: 'written', hash, previousHash } };
  });
}
