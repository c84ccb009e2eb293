import type { TargetTableName } from '@totes/pipeline';
import {
  describeError,
  type MessageVisibility,
  type ObjectStore,
  type PipelineLogger,
  type PipelineMetrics,
  type RetryPolicy,
  type SqsHandler,
  stageHandler,
} from '@totes/runtime';
import type pg from 'pg';
import { failureKind } from './failure-kind';
import { loadWork } from './load-work';
import { warehouseSession } from './warehouse-session';

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
  /** How a small fact object waits for its dimensions in the invocation (a timer by default). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The Lambda handler of one warehouse table's loader.
 *
 * For each SQS message (an S3 notification through SNS) it loads every object announced, in one
 * transaction per object, over one connection per invocation. A failed message alone is reported
 * back (partial batch response) and retried after a backoff set on the message itself: at once for
 * bad input (so it reaches the DLQ quickly), exponentially for a fact waiting for its dimensions or
 * a warehouse outage.
 */
export function createLoadHandler(options: LoadHandlerOptions): SqsHandler {
  const { table, store, logger, metrics, retry } = options;
  const now = options.now ?? (() => new Date());
  const work = loadWork({ table, store, now, spoolDirectory: options.spoolDirectory, sleep: options.sleep });

  return async (event, context) => {
    // One warehouse connection per invocation, opened at the first load and closed at the end.
    const session = warehouseSession(options.connect, (error) =>
      logger.warn('the warehouse connection was lost', { error: describeError(error) }),
    );
    const handler = stageHandler<'load'>((record, report) => work(record, report, session), {
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
