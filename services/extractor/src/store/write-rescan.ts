import { type EventTableName, ingestKey, type RescanReason } from '@totes/pipeline';
import type { CompressedChunk } from '../compression/compressed-chunk';
import type { ExtractContext } from '../extract-context';
import { rescanMetadata } from './object-metadata';
import type { ObjectTally } from './object-tally';
import { putOnce } from './put-once';

/** Which rescan a chunk belongs to: the table, why its rows were read by id, and the run. */
export interface Rescan {
  readonly table: EventTableName;
  readonly reason: RescanReason;
  readonly run: string;
}

/**
 * Writes a chunk read by id range as the `rescan` object of `rescan`, once, and tallies it.
 *
 * The key is a pure function of the run and the chunk's ids, so a run that starts again writes
 * the same keys and finds them written. Returns the chunk's last id, where the next read starts.
 */
export async function writeRescan(
  context: Pick<ExtractContext, 'config' | 'store'>,
  tally: ObjectTally,
  rescan: Rescan,
  chunk: CompressedChunk,
  observedAt: string,
): Promise<number> {
  const { table, reason, run } = rescan;
  const [firstId, lastId] = [chunk.first.id, chunk.last.id];
  const key = ingestKey(
    { kind: 'rescan', table, reason, run, firstId, lastId },
    context.config.ingestCompression,
  );
  const metadata = rescanMetadata(table, chunk.rows, reason, firstId, lastId, observedAt);
  tally.add(key, await putOnce(context.store, key, chunk.body, metadata), chunk.rows);
  return lastId;
}
