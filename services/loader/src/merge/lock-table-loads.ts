import type pg from 'pg';

/**
 * Serialises the loads of one warehouse table until the transaction ends.
 *
 * An advisory lock, so readers of the table are never blocked. Two deliveries of objects holding
 * the same fact version, or two dimension rebuilds, then merge one after the other and see each
 * other's rows.
 */
export async function lockTableLoads(client: pg.ClientBase, table: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`totes.load.${table}`]);
}
