import type { LedgerQuery } from '@totes/pipeline';
import type pg from 'pg';

/** {@link LedgerQuery} over a warehouse connection: the keys `etl.load_ledger` holds per table. */
export function postgresLedgerQuery(client: Pick<pg.ClientBase, 'query'>): LedgerQuery {
  return {
    async loadedKeys(table) {
      const { rows } = await client.query<{ object_key: string }>(
        'SELECT object_key FROM etl.load_ledger WHERE table_name = $1',
        [table],
      );
      return new Set(rows.map((row) => row.object_key));
    },
  };
}
