import { MalformedObjectError, objectsCreated, type TargetTableName } from '@totes/pipeline';
import type { ObjectStore, StageReport } from '@totes/runtime';
import type { SQSRecord } from 'aws-lambda';
import type pg from 'pg';
import { spoolObject } from './copy/spool-object';
import { type LoadOutcome, loadObject } from './load-object';
import { freshnessSeconds } from './merge/freshness';
import { ensureWarehouse } from './migrate-warehouse';
import { WarehouseError } from './warehouse-error';
import type { WarehouseSession } from './warehouse-session';

/** What the loads of one table work with, resolved once at cold start. */
export interface LoadParts {
  readonly table: TargetTableName;
  readonly store: Pick<ObjectStore, 'get' | 'bucket'>;
  readonly now: () => Date;
  readonly spoolDirectory?: string | undefined;
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
      report(reportOf(await loadObject(client, { table, key: object.key, open })));
    }
  };
}
