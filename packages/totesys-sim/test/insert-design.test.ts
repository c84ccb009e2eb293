import { useTestDatabase } from '@totes/test-harness';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertDesign, readLimits, seedTotesys } from '../src/index';

describe('inserting a design', () => {
  const db = useTestDatabase('sim_design');
  let client: pg.Client;
  beforeAll(async () => {
    await seedTotesys(db.url, { scale: 0.05, seed: 3 });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  it('adds a drafted design created and updated at the time given, with the values given', async () => {
    const before = await readLimits(client);
    const id = await insertDesign(client, { design_name: 'Tote of the Month' }, '2025-02-03 10:15:42.070');
    expect(id).toBe(before.design + 1);
    const { rows } = await client.query(
      `SELECT design_name, file_name, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.MS') AS created_at,
              to_char(last_updated, 'YYYY-MM-DD HH24:MI:SS.MS') AS last_updated
         FROM design WHERE design_id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({
      design_name: 'Tote of the Month',
      created_at: '2025-02-03 10:15:42.070',
      last_updated: '2025-02-03 10:15:42.070',
    });
    expect(rows[0]?.file_name).toMatch(/\S/);
  });

  it('stamps it with the time now when no time is given', async () => {
    const id = await insertDesign(client);
    const { rows } = await client.query(
      'SELECT extract(epoch FROM (now() AT TIME ZONE $2) - created_at) AS age FROM design WHERE design_id = $1',
      [id, 'UTC'],
    );
    expect(Math.abs(Number(rows[0]?.age))).toBeLessThan(3600);
  });
});
