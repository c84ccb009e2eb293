import { MalformedObjectError, objectsCreated, type TargetTableName } from '@totes/pipeline';
import type {
  ObjectAnnouncer,
  PipelineLogger,
  PipelineMetrics,
  RetryTiming,
  StageWork,
} from '@totes/runtime';
import { TransformError } from './transform-error';
import { transformObject } from './transform-object';
import type { TransformStores } from './transform-stores';

/** What a transformer function is given at cold start. */
export interface TransformerDeps {
  readonly stores: TransformStores;
  readonly generation: number;
  readonly logger: PipelineLogger;
  readonly metrics?: PipelineMetrics<'transform'>;
  readonly rowGroupRows?: number;
  /**
   * Where an output found already written is announced again (its loader may never have heard
   * of it: a crash between the write and its notification); without it, reconciliation finds it.
   */
  readonly announcer?: ObjectAnnouncer;
  /** How failed messages come back (without it, after the queue's visibility timeout). */
  readonly retry?: RetryTiming;
}

// Enough to see what went wrong without flooding the log when a whole object is bad.
const quarantinedRowsLogged = 10;

function describe(error: unknown) {
  if (error instanceof MalformedObjectError) {
    return { error: error.name, key: error.key, line: error.line, reason: error.message };
  }
  return error instanceof Error ? { error: error.name, reason: error.message } : { reason: String(error) };
}

/**
 * Handles one SQS message.
 *
 * The S3 notification (through SNS) of one or more new ingest objects, each transformed for
 * `target`, with a log line per object (keys, rows in and out, duration), a warning naming the
 * first rows it quarantined, and the metric `rows_quarantined`. Throws, failing this message alone,
 * when any object cannot be transformed.
 */
export function notificationProcessor(
  target: TargetTableName,
  deps: TransformerDeps,
): StageWork<'transform'> {
  const { stores, logger } = deps;
  return async (record, report) => {
    for (const object of objectsCreated(record.body)) {
      const started = performance.now();
      try {
        if (object.bucket !== stores.ingest.bucket) {
          throw new TransformError(
            `${target} reads s3://${stores.ingest.bucket}, but the notification is for s3://${object.bucket}/${object.key}`,
            { retryable: false },
          );
        }
        const outcome = await transformObject(stores, {
          target,
          key: object.key,
          generation: deps.generation,
          ...(deps.rowGroupRows === undefined ? {} : { rowGroupRows: deps.rowGroupRows }),
        });
        const durationMs = Math.round(performance.now() - started);
        const { quarantined, ...summary } =
          outcome.status === 'written' ? outcome : { ...outcome, quarantined: [] };
        if (outcome.status === 'exists')
          await deps.announcer?.announce(stores.processed.bucket, outcome.outputKey);
        // An output found already written (a repeated or late event) is routine: nothing was done.
        report({
          message: `transform ${outcome.status}`,
          fields: {
            ...summary,
            trigger: object.key,
            durationMs,
            ...(outcome.status === 'exists' ? { announcedAgain: deps.announcer !== undefined } : {}),
          },
          routine: outcome.status === 'exists',
          ...(outcome.status === 'written'
            ? {
                metrics: {
                  rows_in: outcome.rowsIn,
                  rows_out: outcome.rowsOut,
                  rows_quarantined: outcome.rowsQuarantined,
                  transform_seconds: durationMs / 1000,
                },
              }
            : {}),
        });
        if (outcome.status === 'written') {
          if (outcome.rowsQuarantined > 0) {
            // The loader records every described row in etl.quarantine; the log shows the first.
            logger.warn('rows quarantined', {
              target,
              trigger: object.key,
              rowsQuarantined: outcome.rowsQuarantined,
              first: quarantined?.slice(0, quarantinedRowsLogged),
            });
          }
        }
      } catch (error) {
        logger.error('transform failed', { target, trigger: object.key, ...describe(error) });
        throw error;
      }
    }
  };
}
