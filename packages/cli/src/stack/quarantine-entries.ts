import type { QuarantinedRow } from '@totes/pipeline';
import pg from 'pg';

/** One quarantined source row, as `totes quarantine` lists it: the row, where it was bound, and since when. */
export interface QuarantineEntry extends QuarantinedRow {
  /** The warehouse table the row was meant for. */
  readonly table: string;
  /** When the row was first quarantined (ISO 8601). */
  readonly since: string;
}

/**
 * The entries of `etl.quarantine` in a warehouse, oldest first.
 *
 * Only those of one table when `table` names a warehouse or source table. None when the warehouse
 * has no quarantine yet.
 */
export async function quarantineEntries(warehouseUrl: string, table?: string): Promise<QuarantineEntry[]> {
  const client = new pg.Client({ connectionString: warehouseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('etl.quarantine') AS found");
    if (!exists.rows[0]?.found) return [];
    const { rows } = await client.query<QuarantineEntry>(
      'SELECT table_name AS "table", source_table AS "sourceTable", source_id AS "sourceId", ' +
        'object_key AS "objectKey", line, column_name AS "column", value, reason, ' +
        `to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since FROM etl.quarantine ` +
        'WHERE $1::text IS NULL OR table_name = $1 OR source_table = $1 ' +
        'ORDER BY table_name, since, object_key, line',
      [table ?? null],
    );
    return rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
