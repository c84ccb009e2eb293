import { useTestDatabase } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { connectPostgres } from '../src/index';

describe('connectPostgres', () => {
  const database = useTestDatabase('runtime');
  const options = { statementTimeoutMs: 500, applicationName: 'runtime-test' };

  it('keeps numerics, timestamps, dates and times as their exact text', async () => {
    const client = await connectPostgres(database.url, options);
    try {
      const { rows } = await client.query(
        `SELECT 2.55::numeric(10,2) AS money, '2022-11-03 14:20:52.186'::timestamp(3) AS ts,
                '2022-11-03'::date AS day, '14:20:52.186'::time AS at, 7::int AS n`,
      );
      expect(rows[0]).toEqual({
        money: '2.55',
        ts: '2022-11-03 14:20:52.186',
        day: '2022-11-03',
        at: '14:20:52.186',
        n: 7,
      });
    } finally {
      await client.end();
    }
  });

  it('cancels a statement that runs past the timeout', async () => {
    const client = await connectPostgres(database.url, options);
    try {
      await expect(client.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    } finally {
      await client.end();
    }
  });
});
