import type { ReferenceTableName } from '@totes/pipeline';
import { type TotesysRow, totesysTables } from '@totes/schema';
import { ingestBody } from './ingest-body';
import { jsonLinesBatches } from './json-lines-batches';
import type { ScreenedBatch } from './screened-batch';
import type { TransformStores } from './transform-stores';

/**
 * Every row of a snapshot object, validated, with its line, and the rows quarantined.
 *
 * Quarantined rows are those that break their schema. Reference tables are small (tens to a few
 * thousand rows), so the whole snapshot is held; a malformed line throws `MalformedObjectError`.
 */
export async function readSnapshot<T extends ReferenceTableName>(
  store: TransformStores['ingest'],
  table: T,
  key: string,
): Promise<ScreenedBatch<TotesysRow<T>>> {
  const { body } = await store.get(key);
  const all: ScreenedBatch<TotesysRow<T>> = { rows: [], lines: [], quarantined: [] };
  try {
    for await (const batch of jsonLinesBatches(ingestBody(key, body), totesysTables[table], { key, table })) {
      for (const row of batch.rows) all.rows.push(row as TotesysRow<T>);
      all.lines.push(...batch.lines);
      all.quarantined.push(...batch.quarantined);
    }
  } finally {
    body.destroy();
  }
  return all;
}
