import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './index';

describe('useTestDatabase', () => {
  const database = useTestDatabase('harness');

  it('gives the test file its own empty database on the run’s PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; tables: string }>(
        "SELECT current_database() AS db, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') AS tables",
      );
      expect(rows[0]).toEqual({ db: database.name, tables: '0' });
    } finally {
      await client.end();
    }
  });
});
