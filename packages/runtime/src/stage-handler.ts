import type { MetricStage, StageMetricName } from '@totes/pipeline';
import type { Context, SQSRecord } from 'aws-lambda';
import type { PipelineLogger } from './create-logger';
import type { PipelineMetrics } from './create-metrics';
import { type RetryTiming, type SqsHandler, sqsBatchHandler } from './sqs-batch-handler';

/** What a stage reports of one piece of work done for a message (an object loaded, say). */
export interface StageReport<S extends MetricStage> {
  /** The log line's message (`object loaded`, `transform written`). */
  readonly message: string;
  readonly fields: Readonly<Record<string, unknown>>;
  /** Work that found nothing to do (an object already loaded): logged at debug, not info. */
  readonly routine?: boolean;
  /** The metrics this work adds, by their declared names. */
  readonly metrics?: { readonly [N in StageMetricName<S>]?: number };
}

/** Does one message's work, reporting each piece done; throwing fails the message alone. */
export type StageWork<S extends MetricStage> = (
  record: SQSRecord,
  report: (done: StageReport<S>) => void,
  context: Context,
) => Promise<void>;

/** Options of {@link stageHandler}. */
export interface StageHandlerOptions<S extends MetricStage> {
  readonly logger: PipelineLogger;
  readonly metrics?: PipelineMetrics<S> | undefined;
  /** How failed messages come back, classified by kind (see `sqsBatchHandler`). */
  readonly retry?: RetryTiming | undefined;
  /** FIFO queues: after a failure, leave the rest of the batch unprocessed. */
  readonly stopOnFailure?: boolean;
  /** The metric counting failed messages, one per failure, when the stage declares one. */
  readonly failureMetric?: StageMetricName<S>;
}

/**
 * The handler of a stage's function: the stage's work per message, wired once for every stage.
 *
 * It logs each piece of work reported (at info, or debug when routine), adds its metrics and
 * publishes them once per invocation (only when there are any: Powertools warns when asked to
 * publish nothing); failures are classified, logged and their retries timed by
 * `sqsBatchHandler`, with partial batch responses.
 */
export function stageHandler<S extends MetricStage>(
  work: StageWork<S>,
  options: StageHandlerOptions<S>,
): SqsHandler {
  const { logger, metrics } = options;
  let unpublished = 0;
  const report = (done: StageReport<S>) => {
    (done.routine ? logger.debug : logger.info).call(logger, done.message, { ...done.fields });
    for (const [name, value] of Object.entries(done.metrics ?? {})) {
      if (value === undefined) continue;
      metrics?.add(name as StageMetricName<S>, value as number);
      unpublished += 1;
    }
  };
  const attempt = async (record: SQSRecord, context: Context) => {
    try {
      await work(record, report, context);
    } catch (error) {
      if (options.failureMetric !== undefined && metrics) {
        metrics.add(options.failureMetric, 1);
        unpublished += 1;
      }
      throw error;
    }
  };
  const handler = sqsBatchHandler(attempt, {
    logger,
    ...(options.stopOnFailure ? { stopOnFailure: true } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  return async (event, context) => {
    try {
      return await handler(event, context);
    } finally {
      if (unpublished > 0) {
        unpublished = 0;
        metrics?.flush();
      }
    }
  };
}
