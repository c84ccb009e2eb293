import type pg from 'pg';
import type { ProcessedParquet } from '../copy/processed-parquet';
import type { TableStatements } from '../statements/table-statements';
import { type DirectlyAppended, directAppend } from './direct-append';
import type { CensusResult } from './row-census';
import { stageObject } from './stage-object';

/** How a fact object's rows reach its table: copied straight in, or staged for the anti-join append. */
export type FactAppendPath =
  | { readonly kind: 'direct'; readonly appended: DirectlyAppended }
  | { readonly kind: 'staged'; readonly census: CensusResult };

/**
 * Decides the path of a fact object, at the two moments a load can take it.
 *
 * Before the table's lock, an object whose natural keys do not look new is staged at once, side
 * by side with other loads; under the lock, an object not staged yet is copied straight into the
 * table when its keys are still all new, and staged otherwise (see {@link directAppend} for the
 * figures).
 */
export const factAppendPath = {
  /** Before the lock: the census of the object staged now, or undefined to decide under the lock. */
  async beforeLock(
    client: pg.ClientBase,
    statements: TableStatements,
    parquet: ProcessedParquet,
  ): Promise<CensusResult | undefined> {
    if (await directAppend.likely(client, statements, parquet)) return undefined;
    return stageObject(client, statements, parquet);
  },

  /** Under the lock: the path taken, the rows already copied (straight in, or into staging). */
  async underLock(
    client: pg.ClientBase,
    statements: TableStatements,
    parquet: ProcessedParquet,
    staged: CensusResult | undefined,
  ): Promise<FactAppendPath> {
    if (staged) return { kind: 'staged', census: staged };
    const appended = await directAppend.append(client, statements, parquet);
    if (appended) return { kind: 'direct', appended };
    const census = await stageObject(client, statements, parquet);
    if (!census) throw new Error(`${statements.layout.table} is not a fact table`);
    return { kind: 'staged', census };
  },
};
