import {
  KeyLayoutError,
  MalformedObjectError,
  parseProcessedKey,
  type TargetTableName,
  warehouseTables,
} from '@totes/pipeline';
import type { DimensionVersion } from './version-guard';

/**
 * How a processed object is merged, decided from its key alone:
 *
 * - `append-facts`: a fact object; each row version not yet in the warehouse becomes a fact row.
 * - `rebuild-dimension`: a whole dimension built from snapshots; upserted when its snapshot
 *   `version` passes the version guard, refused as superseded otherwise.
 * - `upsert-rows`: dimension rows from one ingest object (dim_transaction); each row is upserted
 *   when its values differ, unless a later observation of it (by when the extractor read it,
 *   `totes.observed_at`) is already loaded.
 * - `calendar`: dim_date days; upserted (a day's row is a pure function of the day).
 */
export type LoadPlan =
  | { readonly kind: 'append-facts' }
  | { readonly kind: 'rebuild-dimension'; readonly version: DimensionVersion }
  | { readonly kind: 'upsert-rows' }
  | { readonly kind: 'calendar' };

/**
 * The {@link LoadPlan} of the object at `key` for the loader of `table`.
 *
 * Throws a non-retryable error ({@link KeyLayoutError} or {@link MalformedObjectError}) for a
 * key that is not a processed object of that table (a
 * misrouted notification can never load, so it must reach the DLQ, not be retried forever).
 */
export function loadPlan(table: TargetTableName, key: string): LoadPlan {
  const parsed = parseProcessedKey(key);
  if (parsed.target !== table) {
    throw new MalformedObjectError(
      key,
      undefined,
      `it is a ${parsed.target} object, not ${table}: misrouted`,
    );
  }
  switch (parsed.kind) {
    case 'calendar':
      return { kind: 'calendar' };
    case 'rebuild':
      if (warehouseTables[table].kind === 'fact') {
        throw new MalformedObjectError(key, undefined, `${table} is a fact table: it is never rebuilt whole`);
      }
      return {
        kind: 'rebuild-dimension',
        version: { versions: { ...parsed.versions }, generation: parsed.generation },
      };
    case 'rows':
      return warehouseTables[table].kind === 'fact' ? { kind: 'append-facts' } : { kind: 'upsert-rows' };
  }
}
