import type pg from 'pg';

/** How an object's load ended. */
export type LedgerOutcome = 'loaded' | 'superseded';

/** One row of `etl.load_ledger`. */
export interface LedgerEntry {
  readonly key: string;
  readonly table: string;
  readonly eTag: string;
  readonly outcome: LedgerOutcome;
  readonly inserted: number;
  readonly updated: number;
  readonly skipped: number;
  readonly maxLastUpdated?: string | undefined;
  /** Rows the transformer quarantined out of the object. */
  readonly quarantined?: number;
}

/**
 * The load ledger: which processed objects are in the warehouse.
 *
 * An entry is written in the same transaction as the object's rows, so its presence means the whole
 * object is loaded.
 */
export const loadLedger = {
  /** Whether an object has been loaded (or refused as superseded) before. */
  async has(client: pg.ClientBase, key: string): Promise<boolean> {
    const result = await client.query('SELECT 1 FROM etl.load_ledger WHERE object_key = $1', [key]);
    return (result.rowCount ?? 0) > 0;
  },

  /** Records an object's load; call inside the transaction that merged its rows. */
  async record(client: pg.ClientBase, entry: LedgerEntry): Promise<void> {
    await client.query(
      'INSERT INTO etl.load_ledger (object_key, table_name, etag, outcome, rows_inserted, rows_updated, ' +
        'rows_skipped, max_last_updated, rows_quarantined) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamp(3), $9)',
      [
        entry.key,
        entry.table,
        entry.eTag,
        entry.outcome,
        entry.inserted,
        entry.updated,
        entry.skipped,
        entry.maxLastUpdated ?? null,
        entry.quarantined ?? 0,
      ],
    );
  },
};
