import type { SourceTableName } from '@totes/schema';
import pg from 'pg';
import type { SomeEditRule } from './edit-rules';
import { inTransaction } from './in-transaction';
import { keyColumn } from './key-column';
import type { ReferenceLimits } from './order-draft';
import type { Random } from './random';
import { rawTextTypes } from './raw-text-types';
import { SimulatorError } from './simulator-error';

/** A change made to one column of one row. */
export interface RowEdit {
  readonly table: SourceTableName;
  readonly id: number;
  readonly column: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Changes one column of one row by `rule`, in its own transaction.
 *
 * It sets `last_updated` to `touch` when given, and leaves it alone otherwise. Table and column
 * come from the fixed rules.
 */
export async function applyEdit(
  client: pg.ClientBase,
  table: SourceTableName,
  id: number,
  rule: SomeEditRule,
  context: { readonly random: Random; readonly limits: ReferenceLimits; readonly touch?: string },
): Promise<RowEdit> {
  const ident = pg.escapeIdentifier(table);
  const key = pg.escapeIdentifier(keyColumn(table));
  const column = pg.escapeIdentifier(rule.column);
  return await inTransaction(client, true, async () => {
    const { rows } = await client.query<Record<string, unknown>>({
      text: `SELECT * FROM ${ident} WHERE ${key} = $1 FOR UPDATE`,
      values: [id],
      types: rawTextTypes,
    });
    const row = rows[0];
    if (!row) throw new SimulatorError(`${table} has no row with id ${id} to edit`);
    const before = row[rule.column];
    const after = rule.change(row as never, context.random, context.limits);
    if (context.touch === undefined) {
      await client.query(`UPDATE ${ident} SET ${column} = $1 WHERE ${key} = $2`, [after, id]);
    } else {
      await client.query(`UPDATE ${ident} SET ${column} = $1, last_updated = $2 WHERE ${key} = $3`, [
        after,
        context.touch,
        id,
      ]);
    }
    return { table, id, column: rule.column, before, after };
  });
}
