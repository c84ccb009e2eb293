import { MalformedObjectError, objectsCreated, type TargetTableName } from '@totes/pipeline';
import {
  describeError,
  type MessageVisibility,
  type ObjectStore,
  type PipelineLogger,
  type PipelineMetrics,
  type RetryPolicy,
  type SqsHandler,
  type StageReport,
  stageHandler,
} from '@totes/runtime';
import type { SQSRecord } from 'aws-lambda';
import type pg from 'pg';
import { spoolObject } from './copy/spool-object';
import { failureKind } from './failure-kind';
import { type LoadOutcome, loadObject } from './load-object';
import { freshnessSeconds } from './merge/freshness';
import { ensureWarehouse } from './migrate-warehouse';
import { WarehouseError } from './warehouse-error';
import { type WarehouseSession, warehouseSession } from './warehouse-session';

/** What a table's loader needs; every part is a narrow interface, so tests pass real or plain objects. */
export interface LoadHandlerOptions {
  readonly table: TargetTableName;
  /** The processed bucket. */
  readonly store: Pick<ObjectStore, 'get' | 'bucket'>;
  /** Opens a warehouse connection (one per invocation). */
  readonly connect: () => Promise<pg.Client>;
  readonly visibility: MessageVisibility;
  readonly retry: RetryPolicy;
  readonly logger: PipelineLogger;
  readonly metrics: PipelineMetrics<'load'>;
  readonly now?: () => Date;
  /** Where objects are spooled while they load (the OS temporary directory by default). */
  readonly spoolDirectory?: string;
}

/**
 * The Lambda handler of one warehouse table's loader: for each SQS message (an S3 notification
 * through SNS) it loads every object announced, in one transaction per object, over one
 * connection per invocation. A failed message alone is reported back (partial batch response)
 * and retried after a backoff set on the message itself: at once for bad input (so it reaches the
 * DLQ quickly), exponentially for a fact waiting for its dimensions or a warehouse outage.
 */
export function createLoadHandler(options: LoadHandlerOptions): SqsHandler {
  const { table, store, logger, metrics, retry } = options;
  const now = options.now ?? (() => new Date());
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

  async function load(
    record: SQSRecord,
    report: (done: StageReport<'load'>) => void,
    session: WarehouseSession,
  ) {
    for (const object of objectsCreated(record.body)) {
      if (object.bucket !== store.bucket) {
        throw new MalformedObjectError(
          object.key,
          undefined,
          `it is in ${object.bucket}, this loader reads ${store.bucket}`,
        );
      }
      const client = await connected(session);
      const open = () => spoolObject(store, object.key, options.spoolDirectory);
      report(reportOf(await loadObject(client, { table, key: object.key, open })));
    }
  }

  return async (event, context) => {
    // One warehouse connection per invocation, opened at the first load and closed at the end.
    const session = warehouseSession(options.connect, (error) =>
      logger.warn('the warehouse connection was lost', { error: describeError(error) }),
    );
    const handler = stageHandler<'load'>((record, report) => load(record, report, session), {
      logger,
      metrics,
      retry: { policy: retry, visibility: options.visibility, kindOf: failureKind },
    });
    try {
      return await handler(event, context);
    } finally {
      await session.close();
    }
  };
}
