import { parseProcessedKey, type TargetTableName } from '@totes/pipeline';
import type pg from 'pg';
import { openProcessedParquet } from './copy/processed-parquet';
import type { SpooledObject } from './copy/spool-object';
import { loadFailure } from './load-failure';
import { factAppendPath } from './merge/fact-append-path';
import { advanceFreshness } from './merge/freshness';
import { loadLedger } from './merge/load-ledger';
import { lockTableLoads } from './merge/lock-table-loads';
import { mergeObject } from './merge/merge-object';
import { rowQuarantine } from './merge/row-quarantine';
import { loadPlan } from './plan/load-plan';
import { quarantinePlan } from './plan/quarantine-plan';
import { tableStatements } from './statements/table-statements';

/** One processed object to load. */
export interface LoadRequest {
  readonly table: TargetTableName;
  readonly key: string;
  /** Opens the object's bytes; called only when the object is not in the ledger yet. */
  readonly open: () => Promise<SpooledObject>;
}

/** What loading an object did. */
export interface LoadOutcome {
  readonly table: TargetTableName;
  readonly key: string;
  /** `already-loaded`: found in the ledger, acknowledged without work. */
  readonly outcome: 'loaded' | 'superseded' | 'already-loaded';
  readonly inserted: number;
  readonly updated: number;
  /** Rows left as they were: versions already present, unchanged or older dimension rows. */
  readonly skipped: number;
  /** Days a fact object added to dim_date. */
  readonly daysAdded: number;
  /** Rows the transformer quarantined, as the object counts them (0 when none). */
  readonly quarantined?: number;
  /** Quarantine entries deleted because this object carries a later, passing observation. */
  readonly released?: number;
  /** The table's newest loaded source `last_updated` after this load, when known. */
  readonly freshAsOf?: string;
  /** Why a superseded object was refused. */
  readonly reason?: string;
  /**
   * Facts: `direct` when the rows were copied straight into the table (no natural key of the
   * object was there yet), `staged` when they went through the staging table and the anti-join.
   */
  readonly append?: 'direct' | 'staged';
}

async function rollback(client: pg.ClientBase): Promise<void> {
  try {
    await client.query('ROLLBACK');
  } catch {
    // The connection is gone, and with it the transaction: nothing was committed.
  }
}

/**
 * Loads one processed object into the warehouse in one transaction.
 *
 * Its rows are merged (facts appended by version, copied straight into the table when their natural
 * keys are all new and through a staging table otherwise; dimensions staged and upserted under
 * their version guard), the table's freshness advanced, the rows it quarantined recorded and those
 * it passes released (`etl.quarantine`), and the object recorded in the load ledger. An object
 * already in the ledger is acknowledged without work; any failure rolls everything back.
 */
export async function loadObject(client: pg.ClientBase, request: LoadRequest): Promise<LoadOutcome> {
  const { table, key } = request;
  const plan = loadPlan(table, key);
  const statements = tableStatements(table);
  const alreadyLoaded: LoadOutcome = {
    table,
    key,
    outcome: 'already-loaded',
    inserted: 0,
    updated: 0,
    skipped: 0,
    daysAdded: 0,
  };
  try {
    if (await loadLedger.has(client, key)) return alreadyLoaded;
  } catch (error) {
    throw loadFailure(error, table, key);
  }

  const object = await request.open();
  try {
    const parquet = await openProcessedParquet(object.file, statements.layout, key);
    try {
      await client.query('BEGIN');
      // Facts stage before taking the table's lock, so two large objects copy side by side; one
      // whose natural keys all look new is copied straight into the table under the lock instead.
      const census =
        plan.kind === 'append-facts'
          ? await factAppendPath.beforeLock(client, statements, parquet)
          : undefined;
      await lockTableLoads(client, table);
      if (await loadLedger.has(client, key)) {
        await rollback(client);
        return alreadyLoaded;
      }
      const merged = await mergeObject(client, plan, statements, parquet, census);
      const { maxLastUpdated } = parquet.metadata;
      const freshAsOf =
        merged.outcome === 'loaded' && maxLastUpdated !== undefined
          ? await advanceFreshness(client, table, maxLastUpdated, key)
          : undefined;
      const quarantined = parquet.metadata.quarantined ?? 0;
      // A superseded object was observed before what is loaded: it neither records nor releases.
      const quarantine =
        merged.outcome === 'loaded'
          ? await rowQuarantine.apply(client, {
              key,
              layout: statements.layout,
              parquet,
              plan: quarantinePlan(plan, parquet.metadata, parseProcessedKey(key).generation),
            })
          : undefined;
      await loadLedger.record(client, {
        key,
        table,
        eTag: object.eTag,
        maxLastUpdated,
        ...merged,
        quarantined,
      });
      await client.query('COMMIT');
      return {
        table,
        key,
        ...merged,
        ...(freshAsOf === undefined ? {} : { freshAsOf }),
        ...(quarantined === 0 ? {} : { quarantined }),
        ...(quarantine?.released ? { released: quarantine.released } : {}),
      };
    } catch (error) {
      await rollback(client);
      throw loadFailure(error, table, key);
    }
  } finally {
    await object.close();
  }
}
