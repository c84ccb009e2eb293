import { useTestDatabase } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import {
  cachedConnectionString,
  connectPostgres,
  connectWithCachedSecret,
  isRefusedLogin,
} from '../src/database';

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

  describe('connectWithCachedSecret', () => {
    const withPassword = (password: string) => {
      const url = new URL(database.url);
      url.password = password;
      return url.toString();
    };
    /** A secret that reads `values` one after another (the last one from then on), counting reads. */
    const secret = (...values: string[]) => {
      let reads = 0;
      const cached = cachedConnectionString(
        async () => values[Math.min(reads++, values.length - 1)] as string,
      );
      return { cached, reads: () => reads };
    };

    it('reads a rotated secret again when the old password is refused, and connects with the new one', async () => {
      const rotated = secret(withPassword('the-old-password'), database.url);

      const client = await connectWithCachedSecret(rotated.cached, options);
      try {
        expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      } finally {
        await client.end();
      }
      expect(rotated.reads()).toBe(2);
      // Cached from then on.
      await (await connectWithCachedSecret(rotated.cached, options)).end();
      expect(rotated.reads()).toBe(2);
    });

    it('gives up when the secret read again is the same, and reads it again on the next call', async () => {
      const wrong = secret(withPassword('still-wrong'));

      const refused = await connectWithCachedSecret(wrong.cached, options).catch((error: unknown) => error);

      expect(isRefusedLogin(refused)).toBe(true);
      expect(wrong.reads()).toBe(2);
      await connectWithCachedSecret(wrong.cached, options).catch(() => undefined);
      expect(wrong.reads()).toBe(4);
    });

    it('does not read the secret again for a failure that is not a refused login', async () => {
      const url = new URL(database.url);
      url.port = '1';
      const unreachable = secret(url.toString());

      await expect(connectWithCachedSecret(unreachable.cached, options)).rejects.toThrow();
      expect(unreachable.reads()).toBe(1);
    });
  });
});
