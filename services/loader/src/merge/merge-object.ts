import { fromCompactTimestamp, MalformedObjectError } from '@totes/pipeline';
import type pg from 'pg';
import type { ProcessedParquet } from '../copy/processed-parquet';
import { MissingDimensionError } from '../missing-dimension-error';
import type { LoadPlan } from '../plan/load-plan';
import { versionGuard } from '../plan/version-guard';
import type { TableStatements } from '../statements/table-statements';
import { checkReferences } from './check-references';
import { dimensionVersions } from './dimension-versions';
import { factAppendPath } from './fact-append-path';
import type { CensusResult } from './row-census';
import { stageObject } from './stage-object';
import { withoutRowTriggers } from './without-row-triggers';

/** What merging an object changed. */
export interface Merged {
  readonly outcome: 'loaded' | 'superseded';
  readonly inserted: number;
  readonly updated: number;
  readonly skipped: number;
  readonly daysAdded: number;
  readonly reason?: string;
  /** Facts: copied straight into the table, or staged and appended by the anti-join. */
  readonly append?: 'direct' | 'staged';
}

async function appendFacts(
  client: pg.ClientBase,
  statements: TableStatements,
  parquet: ProcessedParquet,
  staged: CensusResult | undefined,
): Promise<Merged> {
  const { layout, fact } = statements;
  if (!fact) throw new Error(`${layout.table} is not a fact table`);
  const path = await factAppendPath.underLock(client, statements, parquet, staged);
  const direct = path.kind === 'direct' ? path.appended : undefined;
  const census = path.kind === 'direct' ? path.appended : path.census;
  const { missing, daysAdded } = await checkReferences(
    client,
    statements,
    census,
    direct ? { into: 'fact', naturalKeys: direct.naturalKeys } : { into: 'staging' },
  );
  if (Object.keys(missing).length > 0)
    throw new MissingDimensionError(layout.table, parquet.key, missing, parquet.rows);
  if (direct) {
    return { outcome: 'loaded', inserted: direct.rows, updated: 0, skipped: 0, daysAdded, append: 'direct' };
  }
  // Every referenced dimension row is checked and locked above, so the foreign-key triggers
  // would only repeat that work row by row.
  const append = census.repeatedNaturalKey === false ? fact.append : fact.appendDistinct;
  const inserted = await withoutRowTriggers(client, async () => (await client.query(append)).rowCount ?? 0);
  return {
    outcome: 'loaded',
    inserted,
    updated: 0,
    skipped: parquet.rows - inserted,
    daysAdded,
    append: 'staged',
  };
}

async function upsertDimension(
  client: pg.ClientBase,
  statements: TableStatements,
  parquet: ProcessedParquet,
  rowVersions: boolean,
): Promise<Merged> {
  const { layout, dimension } = statements;
  if (!dimension) throw new Error(`${layout.table} is not a dimension`);
  await stageObject(client, statements, parquet);
  let counts: { inserted: number; updated: number } | undefined;
  if (rowVersions && parquet.rows > 0) {
    const { maxLastUpdated: version, observedAt } = parquet.metadata;
    if (version === undefined) {
      throw new MalformedObjectError(parquet.key, undefined, 'it has rows but no totes.max_last_updated');
    }
    // Without an observation time (written before the extractor recorded one) the object counts
    // as older than every observed one: see dimensionStatements.
    const parameters = [
      layout.table,
      version,
      observedAt === undefined ? null : fromCompactTimestamp(observedAt),
    ];
    counts = (await client.query(dimension.upsertNewerRows, parameters)).rows[0];
    await client.query(dimension.rememberRowVersions, parameters);
  } else {
    counts = (await client.query(dimension.upsert)).rows[0];
  }
  const inserted = counts?.inserted ?? 0;
  const updated = counts?.updated ?? 0;
  return { outcome: 'loaded', inserted, updated, skipped: parquet.rows - inserted - updated, daysAdded: 0 };
}

/**
 * Merges an object into its table by its {@link LoadPlan}, inside the caller's transaction and table lock.
 *
 * Facts are copied straight into the table when their natural keys are all new (see
 * {@link factAppendPath}), appended by version from the staging table otherwise (staged already
 * when `census` is given), and kept only once every reference is there; a rebuilt dimension is
 * upserted when it passes the version guard, and refused as superseded otherwise; dimension rows
 * and calendar days are upserted.
 */
export async function mergeObject(
  client: pg.ClientBase,
  plan: LoadPlan,
  statements: TableStatements,
  parquet: ProcessedParquet,
  census: CensusResult | undefined,
): Promise<Merged> {
  const table = statements.layout.table;
  switch (plan.kind) {
    case 'append-facts':
      return appendFacts(client, statements, parquet, census);
    case 'rebuild-dimension': {
      const decision = versionGuard(await dimensionVersions.read(client, table), plan.version);
      if (!decision.apply) {
        return {
          outcome: 'superseded',
          inserted: 0,
          updated: 0,
          skipped: parquet.rows,
          daysAdded: 0,
          reason: decision.reason,
        };
      }
      const merged = await upsertDimension(client, statements, parquet, false);
      await dimensionVersions.write(client, table, plan.version, parquet.key);
      return merged;
    }
    case 'upsert-rows':
      return upsertDimension(client, statements, parquet, true);
    case 'calendar':
      return upsertDimension(client, statements, parquet, false);
  }
}
