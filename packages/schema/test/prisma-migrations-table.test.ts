import { describe, expect, it } from 'vitest';
import { prismaMigrationsTable } from '../src/index';

const validRow = {
  id: '0f5b9d3c-3c1e-4e0a-9a51-7d7c1f0b6a21',
  checksum: 'b4a1c0d6e8f2a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f7a9b1c3d5e7f9a1b3',
  finished_at: '2022-11-03 14:20:48.512345+00',
  migration_name: '20221103142048_init',
  logs: null,
  rolled_back_at: null,
  started_at: '2022-11-03T14:20:48.397Z',
  applied_steps_count: 1,
};

describe('prismaMigrationsTable', () => {
  it('parses a row as PostgreSQL or ISO 8601 prints its timestamps', () => {
    expect(prismaMigrationsTable.parse(validRow)).toEqual(validRow);
  });

  it('rejects a timestamp without its zone', () => {
    const row = { ...validRow, started_at: '2022-11-03 14:20:48.397' };

    expect(prismaMigrationsTable.safeParse(row).success).toBe(false);
  });
});
