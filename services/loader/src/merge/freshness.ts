import type pg from 'pg';

/**
 * Records that a table now holds source rows up to `maxLastUpdated`, never moving back.
 *
 * Returns the table's newest loaded `last_updated`. Call inside the load's transaction.
 */
export async function advanceFreshness(
  client: pg.ClientBase,
  table: string,
  maxLastUpdated: string,
  key: string,
): Promise<string> {
  const result = await client.query<{ max_last_updated: string }>(
    'INSERT INTO etl.freshness AS f (table_name, max_last_updated, object_key) VALUES ($1, $2::timestamp(3), $3) ' +
      'ON CONFLICT (table_name) DO UPDATE SET max_last_updated = EXCLUDED.max_last_updated, ' +
      'object_key = EXCLUDED.object_key, loaded_at = now() WHERE f.max_last_updated < EXCLUDED.max_last_updated',
    [table, maxLastUpdated, key],
  );
  if ((result.rowCount ?? 0) > 0) return maxLastUpdated;
  const current = await client.query<{ max_last_updated: string }>(
    "SELECT to_char(max_last_updated, 'YYYY-MM-DD HH24:MI:SS.MS') AS max_last_updated FROM etl.freshness " +
      'WHERE table_name = $1',
    [table],
  );
  return current.rows[0]?.max_last_updated ?? maxLastUpdated;
}

/**
 * How old the newest loaded source row is.
 *
 * `now` minus its `last_updated` (totesys timestamps are naive; the pipeline reads them as UTC).
 * Never negative.
 */
export function freshnessSeconds(maxLastUpdated: string, now: Date): number {
  const loaded = Date.parse(`${maxLastUpdated.replace(' ', 'T')}Z`);
  return Math.max(0, (now.getTime() - loaded) / 1000);
}
