import { MalformedObjectError, objectsCreated, type TargetTableName } from '@totes/pipeline';
import type { ObjectStore, StageReport } from '@totes/runtime';
import type { SQSRecord } from 'aws-lambda';
import type pg from 'pg';
import { spoolObject } from './copy/spool-object';
import { type LoadOutcome, loadObject } from './load-object';
import { freshnessSeconds } from './merge/freshness';
import { ensureWarehouse } from './migrate-warehouse';
import { MissingDimensionError } from './missing-dimension-error';
import { WarehouseError } from './warehouse-error';
import type { WarehouseSession } from './warehouse-session';

/** What the loads of one table work with, resolved once at cold start. */
export interface LoadParts {
  readonly table: TargetTableName;
  readonly store: Pick<ObjectStore, 'get' | 'bucket'>;
  readonly now: () => Date;
  readonly spoolDirectory?: string | undefined;
  /** How the loader waits before loading an object again (tests pass their own). */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * How long a small fact object waits in the invocation for its dimension rows, before each new attempt.
 *
 * A fact and the dimension rows it references are usually written together in totesys (a new
 * order's payment and its transaction) and reach their loaders a few hundred milliseconds apart.
 * Failing the message at once cost each such object the stage's whole retry backoff: under live
 * traffic (`pnpm bench freshness`) most of the latency past the 90th percentile. 1.05 s in all.
 */
export const dimensionWaitsMs = [150, 300, 600] as const;

/**
 * Objects of at most this many rows wait for their dimensions in the invocation.
 *
 * A live increment is a few rows to a few thousand; a backfill's 50,000-row object waits for a
 * dimension that may take seconds, and would be staged again on each attempt, so it waits with
 * its message's backoff instead.
 */
export const dimensionWaitMaxRows = 5_000;

/** Loads an object; a small fact object missing dimension rows tries again after each of {@link dimensionWaitsMs}. */
export async function waitingForDimensions(
  load: () => Promise<LoadOutcome>,
  wait: (ms: number) => Promise<void>,
): Promise<{ readonly outcome: LoadOutcome; readonly waitedMs: number }> {
  let waitedMs = 0;
  for (const ms of dimensionWaitsMs) {
    try {
      return { outcome: await load(), waitedMs };
    } catch (error) {
      const small =
        error instanceof MissingDimensionError && (error.rows ?? Infinity) <= dimensionWaitMaxRows;
      if (!small) throw error;
      await wait(ms);
      waitedMs += ms;
    }
  }
  return { outcome: await load(), waitedMs };
}

/** Loads the objects one message announces, over the invocation's session. */
export type LoadWork = (
  record: SQSRecord,
  report: (done: StageReport<'load'>) => void,
  session: WarehouseSession,
) => Promise<void>;

/**
 * The work of one load message.
 *
 * Each object it announces loaded in its own transaction and reported with its row counts and
 * freshness.
 *
 * The warehouse is migrated once, on the first connection; an object from another bucket is
 * malformed (it can never load here).
 */
export function loadWork(parts: LoadParts): LoadWork {
  const { table, store, now } = parts;
  let ensured: Promise<void> | undefined;

  async function connected(session: WarehouseSession): Promise<pg.Client> {
    try {
      const client = await session.client();
      ensured ??= ensureWarehouse(client).catch((error: unknown) => {
        ensured = undefined;
        throw error;
      });
      await ensured;
      return client;
    } catch (error) {
      throw new WarehouseError(table, undefined, error);
    }
  }

  // An object loaded before (a notification delivered twice, a reconciler's resend) is routine.
  const reportOf = (outcome: LoadOutcome): StageReport<'load'> => ({
    message: `object ${outcome.outcome}`,
    fields: { ...outcome },
    routine: outcome.outcome !== 'loaded',
    metrics: {
      rows_inserted: outcome.inserted,
      rows_updated: outcome.updated,
      rows_skipped: outcome.skipped,
      ...(outcome.freshAsOf === undefined
        ? {}
        : { freshness_seconds: freshnessSeconds(outcome.freshAsOf, now()) }),
    },
  });

  return async (record, report, session) => {
    for (const object of objectsCreated(record.body)) {
      if (object.bucket !== store.bucket) {
        throw new MalformedObjectError(
          object.key,
          undefined,
          `it is in ${object.bucket}, this loader reads ${store.bucket}`,
        );
      }
      const client = await connected(session);
      const open = () => spoolObject(store, object.key, parts.spoolDirectory);
      const load = () => loadObject(client, { table, key: object.key, open });
      const { outcome, waitedMs } = await waitingForDimensions(load, parts.sleep ?? sleep);
      const done = reportOf(outcome);
      report(
        waitedMs === 0 ? done : { ...done, fields: { ...done.fields, waitedForDimensionsMs: waitedMs } },
      );
    }
  };
}
