import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { PipelineLogger } from './create-logger';
import { describeError } from './pipeline-error';

/** Processes one SQS message; throwing fails that message alone. */
export type RecordProcessor = (record: SQSRecord, context: Context) => Promise<void>;

/** Options of {@link sqsBatchHandler}. */
export interface SqsBatchHandlerOptions {
  readonly logger: PipelineLogger;
  /**
   * For FIFO queues: after a failure, fail the rest of the batch unprocessed, so messages of a
   * group are never handled out of order (as AWS advises for partial batch responses on FIFO).
   */
  readonly stopOnFailure?: boolean;
}

/** A Lambda handler for an SQS event source with partial batch responses. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * Wires a record processor as a Lambda handler: messages are processed one after another (one
 * database connection per invocation), and `@middy/sqs-partial-batch-failure` reports the failed
 * ones as `batchItemFailures`, so only they are retried and, after `maxReceiveCount`, dead-lettered.
 */
export function sqsBatchHandler(process: RecordProcessor, options: SqsBatchHandlerOptions): SqsHandler {
  const { logger } = options;
  const handler = middy<SQSEvent, unknown>()
    .use(
      sqsPartialBatchFailure({
        logger: (reason: unknown, record: SQSRecord) =>
          logger.error('message failed', {
            messageId: record.messageId,
            receiveCount: Number(record.attributes.ApproximateReceiveCount),
            error: describeError(reason),
          }),
      }),
    )
    .handler(async (event: SQSEvent, context: Context) => {
      const results: PromiseSettledResult<void>[] = [];
      let failed = false;
      for (const record of event.Records) {
        if (failed && options.stopOnFailure) {
          results.push({
            status: 'rejected',
            reason: new Error('not processed: an earlier message of the batch failed'),
          });
          continue;
        }
        try {
          await process(record, context);
          results.push({ status: 'fulfilled', value: undefined });
        } catch (reason) {
          failed = true;
          results.push({ status: 'rejected', reason });
        }
      }
      return results;
    });
  return handler as unknown as SqsHandler;
}
