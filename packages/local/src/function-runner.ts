import { randomUUID } from 'node:crypto';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Consumer } from 'sqs-consumer';
import { lambdaSqsEvent } from './lambda-sqs-event';

/** A Lambda handler for an SQS event source with partial batch responses. */
export type SqsFunctionHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/** One finished invocation, for status lines and logs. */
export interface Invocation {
  readonly functionName: string;
  readonly messages: number;
  readonly failed: number;
  readonly milliseconds: number;
  readonly error?: unknown;
}

/** Options of {@link startFunctionRunner}: the event source mapping and the function's limits. */
export interface FunctionRunnerOptions {
  readonly functionName: string;
  readonly handler: SqsFunctionHandler;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly batchSize: number;
  /** Functions of this source running at once (Lambda's maximum concurrency). */
  readonly maxConcurrency: number;
  readonly timeoutSeconds: number;
  /** How long a receive waits for messages (long polling). */
  readonly waitTimeSeconds?: number;
  readonly onInvocation?: (invocation: Invocation) => void;
}

/** A running event source mapping. */
export interface FunctionRunner {
  /** Invocations currently running. */
  readonly busy: number;
  stop(): Promise<void>;
}

function lambdaContext(functionName: string, region: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

class FunctionTimeout extends Error {
  override readonly name = 'FunctionTimeout';
}

/**
 * Behaves like Lambda's SQS event source mapping for one function: receives batches, invokes
 * the real handler with a Lambda-shaped event and context, deletes the messages that did not
 * fail (partial batch response), and leaves failed ones to reappear after the visibility timeout
 * until the queue's redrive policy moves them to the DLQ. A handler that throws or runs past its
 * timeout fails the whole batch, as in Lambda.
 */
export function startFunctionRunner(options: FunctionRunnerOptions): FunctionRunner {
  let busy = 0;
  const invoke = async (messages: Message[]): Promise<Message[]> => {
    busy += 1;
    const started = Date.now();
    const context = lambdaContext(options.functionName, options.region, options.timeoutSeconds);
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<SQSBatchResponse | undefined> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new FunctionTimeout(`${options.functionName} timed out after ${options.timeoutSeconds} s`),
            ),
          options.timeoutSeconds * 1000,
        );
      });
      const event = lambdaSqsEvent(messages, options.queueArn, options.region);
      running = options.handler(event, context);
      const response = await Promise.race([running, timeout]);
      const failed = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
      options.onInvocation?.({
        functionName: options.functionName,
        messages: messages.length,
        failed: failed.size,
        milliseconds: Date.now() - started,
      });
      return messages.filter((message) => !failed.has(message.MessageId ?? ''));
    } catch (error) {
      options.onInvocation?.({
        functionName: options.functionName,
        messages: messages.length,
        failed: messages.length,
        milliseconds: Date.now() - started,
        error,
      });
      return [];
    } finally {
      clearTimeout(timer);
      // Lambda would end a timed-out function; here it keeps its slot until it has finished, so
      // no more than maxConcurrency handlers ever run at once.
      await running?.catch(() => undefined);
      busy -= 1;
    }
  };
  const consumers = Array.from({ length: options.maxConcurrency }, () =>
    Consumer.create({
      queueUrl: options.queueUrl,
      sqs: options.sqs,
      batchSize: options.batchSize,
      waitTimeSeconds: options.waitTimeSeconds ?? 1,
      pollingWaitTimeMs: 0,
      // On stop, let running invocations finish rather than abandoning their messages.
      pollingCompleteWaitTimeMs: options.timeoutSeconds * 1000,
      messageSystemAttributeNames: ['All'],
      messageAttributeNames: ['All'],
      handleMessageBatch: invoke,
      // Lambda's FIFO event source delivers a group in order; so does this, one batch at a time per group.
      suppressFifoWarning: true,
    }),
  );
  for (const consumer of consumers) {
    // Errors of the receive loop itself (the emulator stopping) are retried by the consumer.
    consumer.on('error', () => {});
    consumer.start();
  }
  return {
    get busy() {
      return busy;
    },
    async stop() {
      await Promise.all(
        consumers.map(
          (consumer) =>
            new Promise<void>((resolve) => {
              if (!consumer.status.isRunning) return resolve();
              consumer.once('stopped', () => resolve());
              consumer.stop({ abort: false });
            }),
        ),
      );
    },
  };
}
