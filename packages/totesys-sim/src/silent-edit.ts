import type pg from 'pg';
import { applyEdit, type RowEdit } from './apply-edit';
import { type SilentEditTable, silentEditRules } from './edit-rules';
import type { ReferenceLimits } from './order-draft';
import { Random } from './random';
import { readLimits } from './read-limits';

/** Options of {@link silentEdit}. */
export interface SilentEditOptions {
  /** Where the new value comes from; default: a stream seeded by table and id. */
  readonly random?: Random;
  /** Sizes of the referenced tables; read from the database when absent. */
  readonly limits?: ReferenceLimits;
}

/**
 * Edits a row the way totesys sometimes does.
 *
 * One value changes (sales_order's agreed delivery date, purchase_order's delivery location,
 * design's file location) and `last_updated` does not.
 */
export async function silentEdit(
  client: pg.ClientBase,
  target: { readonly table: SilentEditTable; readonly id: number },
  options: SilentEditOptions = {},
): Promise<RowEdit> {
  return await applyEdit(client, target.table, target.id, silentEditRules[target.table], {
    random: options.random ?? Random.of(0, 'silent-edit', target.table, target.id),
    limits: options.limits ?? (await readLimits(client)),
  });
}
