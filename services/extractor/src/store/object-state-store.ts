import { text } from 'node:stream/consumers';
import { ExtractState, initialState, stateKey } from '@totes/pipeline';
import type { ObjectStore } from '@totes/runtime';
import { z } from 'zod';
import { ExtractError } from '../extract-error';
import type { StateStore } from './state-store';

/** A {@link StateStore} keeping each table's state as a JSON object in a bucket. */
export function objectStateStore(store: Pick<ObjectStore, 'bucket' | 'head' | 'get' | 'put'>): StateStore {
  return {
    async read(table) {
      const key = stateKey(table);
      if (!(await store.head(key))) return initialState;
      const body = await text((await store.get(key)).body);
      let parsed: ReturnType<typeof ExtractState.safeParse>;
      try {
        parsed = ExtractState.safeParse(JSON.parse(body));
      } catch (error) {
        throw new ExtractError(table, `its state s3://${store.bucket}/${key} is not JSON; fix or delete it`, {
          cause: error,
          retryable: false,
        });
      }
      if (!parsed.success) {
        throw new ExtractError(
          table,
          `its state s3://${store.bucket}/${key} is malformed (${z.prettifyError(parsed.error)}); fix or delete it`,
          { retryable: false },
        );
      }
      return parsed.data;
    },
    async write(table, state) {
      await store.put(stateKey(table), JSON.stringify(state), { 'content-kind': 'extract-state' });
    },
  };
}
