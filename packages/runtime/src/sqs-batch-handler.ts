import middy from '@middy/core';
import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { PipelineLogger } from './create-logger';
import { describeError } from './describe-error';
import type { MessageVisibility } from './message-visibility';
import { type FailureKind, failureKindOf, type RetryPolicy, retryDelaySeconds } from './retry-delay';

/** Processes one SQS message; throwing fails that message alone. */
export type RecordProcessor = (record: SQSRecord, context: Context) => Promise<void>;

/** How failed messages come back: the stage's backoff, set on each message by the handler. */
export interface RetryTiming {
  readonly policy: RetryPolicy;
  readonly visibility: MessageVisibility;
  /** Classifies an error; {@link failureKindOf} unless a stage knows more kinds. */
  readonly kindOf?: (error: unknown) => FailureKind;
}

/** Options of {@link sqsBatchHandler}. */
export interface SqsBatchHandlerOptions {
  readonly logger: PipelineLogger;
  /**
   * For FIFO queues: after a failure, fail the rest of the batch unprocessed, so messages of a
   * group are never handled out of order (as AWS advises for partial batch responses on FIFO).
   */
  readonly stopOnFailure?: boolean;
  /**
   * Spaces retries by the failure's kind. Without it a failed message comes back after the
   * queue's visibility timeout, which is six times the function's timeout.
   */
  readonly retry?: RetryTiming;
}

/** A Lambda handler for an SQS event source with partial batch responses. */
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** Why a message of a FIFO batch was not processed: an earlier one failed. */
class NotProcessed extends Error {
  override readonly name = 'NotProcessed';
}

const receiveCountOf = (record: SQSRecord) => Number(record.attributes.ApproximateReceiveCount) || 1;

/**
 * Wires a record processor as a Lambda handler.
 *
 * Messages are processed one after another (one database connection per invocation), and
 * `@middy/sqs-partial-batch-failure` reports the failed ones as `batchItemFailures`, so only they
 * are retried and, after `maxReceiveCount`, dead-lettered. With `retry`, each failed message is
 * made visible again after its backoff: at once for bad input (so it reaches its DLQ in seconds,
 * after real attempts), exponentially for waits and outages. Every failed attempt is logged as
 * "message failed" with its error (a warning while retries remain, an error when the message cannot
 * succeed or has used its last attempt), which is how `totes dlq` shows each dead letter's
 * attempts.
 */
export function sqsBatchHandler(process: RecordProcessor, options: SqsBatchHandlerOptions): SqsHandler {
  const { logger, retry } = options;
  const kindOf = retry?.kindOf ?? failureKindOf;

  async function failed(record: SQSRecord, reason: unknown): Promise<void> {
    const receiveCount = receiveCountOf(record);
    const notProcessed = reason instanceof NotProcessed;
    const kind = kindOf(reason);
    const maxReceiveCount = retry?.policy.maxReceiveCount;
    const last = maxReceiveCount !== undefined && receiveCount >= maxReceiveCount;
    // A message left unprocessed behind a failed one comes back at once: it did not fail itself.
    const delay = retry && !notProcessed ? retryDelaySeconds(kind, receiveCount, retry.policy) : 0;
    const details = {
      messageId: record.messageId,
      receiveCount,
      ...(maxReceiveCount === undefined ? {} : { maxReceiveCount }),
      kind,
      ...(retry ? { retryInSeconds: delay } : {}),
      ...(last ? { deadLetter: true } : {}),
      error: describeError(reason),
    };
    if (notProcessed) logger.debug('message not processed', details);
    else if (last || kind === 'bad-input' || !retry) logger.error('message failed', details);
    else logger.warn('message failed', details);
    if (!retry) return;
    try {
      await retry.visibility.retryAfter(record, delay);
    } catch (visibilityError) {
      logger.warn("could not set the message's retry delay; the queue's visibility timeout applies", {
        messageId: record.messageId,
        error: describeError(visibilityError),
      });
    }
  }

  const handler = middy<SQSEvent, unknown>()
    // Failures are logged (and their retries timed) below, once per message, with their kind.
    .use(sqsPartialBatchFailure({ logger: () => undefined }))
    .handler(async (event: SQSEvent, context: Context) => {
      const results: PromiseSettledResult<void>[] = [];
      let failedBefore = false;
      for (const record of event.Records) {
        if (failedBefore && options.stopOnFailure) {
          const reason = new NotProcessed('not processed: an earlier message of the batch failed');
          await failed(record, reason);
          results.push({ status: 'rejected', reason });
          continue;
        }
        try {
          await process(record, context);
          results.push({ status: 'fulfilled', value: undefined });
        } catch (reason) {
          failedBefore = true;
          await failed(record, reason);
          results.push({ status: 'rejected', reason });
        }
      }
      return results;
    });
  return handler as unknown as SqsHandler;
}
