import type pg from 'pg';
import type { DimensionVersion } from '../plan/version-guard';

/** `etl.dimension_version`: what each dimension rebuilt from snapshots was last built from. */
export const dimensionVersions = {
  async read(client: pg.ClientBase, table: string): Promise<DimensionVersion | undefined> {
    const result = await client.query<{ versions: Record<string, string>; generation: number }>(
      'SELECT versions, generation FROM etl.dimension_version WHERE table_name = $1',
      [table],
    );
    const row = result.rows[0];
    return row ? { versions: row.versions, generation: row.generation } : undefined;
  },

  async write(client: pg.ClientBase, table: string, version: DimensionVersion, key: string): Promise<void> {
    await client.query(
      'INSERT INTO etl.dimension_version (table_name, versions, generation, object_key) VALUES ($1, $2, $3, $4) ' +
        'ON CONFLICT (table_name) DO UPDATE SET versions = EXCLUDED.versions, generation = EXCLUDED.generation, ' +
        'object_key = EXCLUDED.object_key, loaded_at = now()',
      [table, JSON.stringify(version.versions), version.generation, key],
    );
  },
};
