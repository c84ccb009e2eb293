import type { ReferenceTableName } from '@totes/pipeline';
import { type TotesysRow, totesysTables } from '@totes/schema';
import { ingestBody } from './ingest-body';
import { jsonLinesBatches } from './json-lines-batches';
import type { TransformStores } from './transform-stores';

/**
 * Every row of a snapshot object, validated. Reference tables are small (tens to a few thousand
 * rows), so the whole snapshot is held; a malformed line throws `MalformedObjectError`.
 */
export async function readSnapshot<T extends ReferenceTableName>(
  store: TransformStores['ingest'],
  table: T,
  key: string,
): Promise<TotesysRow<T>[]> {
  const { body } = await store.get(key);
  const rows: TotesysRow<T>[] = [];
  try {
    for await (const batch of jsonLinesBatches(ingestBody(key, body), totesysTables[table], key)) {
      for (const row of batch) rows.push(row as TotesysRow<T>);
    }
  } finally {
    body.destroy();
  }
  return rows;
}
