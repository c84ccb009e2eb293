import type pg from 'pg';

/**
 * Runs `work` between BEGIN and COMMIT (ROLLBACK when it throws), unless `own` is false.
 *
 * With `own` false it runs as it is: the caller already holds a transaction it means to commit
 * itself.
 */
export async function inTransaction<T>(
  client: pg.ClientBase,
  own: boolean,
  work: () => Promise<T>,
): Promise<T> {
  if (!own) return await work();
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
