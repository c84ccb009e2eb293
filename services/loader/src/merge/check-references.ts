import type pg from 'pg';
import type { KeyRange } from '../plan/key-range';
import type { TableStatements } from '../statements/table-statements';
import type { CensusResult } from './row-census';

/** What checking a fact object's references found. */
export interface ReferenceCheck {
  /** Referenced keys the dimensions lack, by dimension (empty when every row can load). */
  readonly missing: Readonly<Record<string, readonly string[]>>;
  /** Days added to dim_date for the object. */
  readonly daysAdded: number;
}

/**
 * Where a fact object's rows were copied.
 *
 * Into the staging table, or straight into the fact table, where they are the rows with a natural
 * key in `naturalKeys` (it held none before).
 */
export type CopiedRows =
  | { readonly into: 'staging' }
  | { readonly into: 'fact'; readonly naturalKeys: KeyRange };

/**
 * Checks the references of a copied fact object, set-based.
 *
 * First adds to dim_date the days it lacks, then, per dimension, locks the referenced rows
 * `FOR KEY SHARE` and lists the keys the dimension lacks. The keys come from the census when it
 * kept them (a few small queries), from the copied rows otherwise.
 */
export async function checkReferences(
  client: pg.ClientBase,
  statements: TableStatements,
  census: CensusResult,
  rows: CopiedRows,
): Promise<ReferenceCheck> {
  const sourceOf = (dimension: string) => {
    const referenced = census.references.get(dimension);
    if (referenced?.kind === 'keys') {
      return { use: 'keys', parameters: [referenced.keys], empty: referenced.keys.length === 0 } as const;
    }
    const empty = census.rows === 0;
    return rows.into === 'staging'
      ? ({ use: 'staging', parameters: [], empty } as const)
      : ({ use: 'appended', parameters: [rows.naturalKeys.min, rows.naturalKeys.max], empty } as const);
  };
  let daysAdded = 0;
  if (statements.extendCalendar) {
    const source = sourceOf('dim_date');
    if (!source.empty) {
      const added = await client.query(statements.extendCalendar[source.use], [...source.parameters]);
      daysAdded = added.rowCount ?? 0;
    }
  }
  const missing: Record<string, string[]> = {};
  for (const reference of statements.references) {
    const source = sourceOf(reference.dimension);
    if (source.empty) continue;
    const result = await client.query<{ key: string }>(reference.missing[source.use], [...source.parameters]);
    if (result.rows.length > 0) missing[reference.dimension] = result.rows.map((row) => row.key);
  }
  return { missing, daysAdded };
}
