import type pg from 'pg';
import { applyEdit, type RowEdit } from './apply-edit';
import { type ReferenceEditTable, referenceEditRules } from './edit-rules';
import { naiveTimestampOf } from './naive-timestamp';
import { Random } from './random';

/** Options of {@link editReference}. */
export interface EditReferenceOptions {
  /** The new `last_updated`, naive `timestamp(3)` text; default: now, UTC wall time. */
  readonly at?: string;
  /** Where the new value comes from; default: a stream seeded by table, id and time. */
  readonly random?: Random;
}

/**
 * Edits a reference row openly, bumping `last_updated`.
 *
 * A staff member's e-mail address, an address's phone number, a counterparty's delivery contact or
 * a department's manager.
 */
export async function editReference(
  client: pg.ClientBase,
  target: { readonly table: ReferenceEditTable; readonly id: number },
  options: EditReferenceOptions = {},
): Promise<RowEdit> {
  const at = options.at ?? naiveTimestampOf(new Date());
  return await applyEdit(client, target.table, target.id, referenceEditRules[target.table], {
    random: options.random ?? Random.of(0, 'reference-edit', target.table, target.id, at),
    limits: { address: 0, counterparty: 0, currency: 0, staff: 0, design: 0 },
    touch: at,
  });
}
