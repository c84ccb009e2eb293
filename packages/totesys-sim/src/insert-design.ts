import type pg from 'pg';
import { insertRow } from './insert-row';
import { naiveTimestampOf, parseNaiveTimestamp } from './naive-timestamp';
import { type DesignValues, orderDraft } from './order-draft';
import { Random } from './random';

/** Inserts a design created at `at` (default: now, UTC wall time) and returns its id. */
export async function insertDesign(
  client: pg.ClientBase,
  values: Partial<DesignValues> = {},
  at: string = naiveTimestampOf(new Date()),
): Promise<number> {
  const drafted = orderDraft.design(Random.of(0, 'design', at), parseNaiveTimestamp(at));
  return await insertRow(client, 'design', { ...drafted, ...values, created_at: at, last_updated: at });
}
