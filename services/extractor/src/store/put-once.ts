import type { ObjectStore } from '@totes/runtime';
import type { ObjectMetadata } from './object-metadata';

/** Whether an object was written now or was already there. */
export type PutOutcome = 'written' | 'existing';

/**
 * Writes an object unless its key exists.
 *
 * Keys are pure functions of what objects hold, so an existing key means a crashed run wrote this
 * chunk before it could save its state: the object is kept as it is (ingest objects are never
 * overwritten) and the run moves on.
 */
export async function putOnce(
  store: Pick<ObjectStore, 'head' | 'put'>,
  key: string,
  body: Buffer,
  metadata: ObjectMetadata,
): Promise<PutOutcome> {
  if (await store.head(key)) return 'existing';
  await store.put(key, body, metadata);
  return 'written';
}
