import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { crashPoint } from './crash-point';
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
  /** How long to keep gathering a batch after its first message (Lambda's batching window). */
  readonly batchWindowSeconds?: number;
  /** Functions of this source running at once (Lambda's maximum concurrency). */
  readonly maxConcurrency: number;
  readonly timeoutSeconds: number;
  /** How long a receive waits for messages (long polling; 20 s by default, as Lambda's). */
  readonly waitTimeSeconds?: number;
  readonly onInvocation?: (invocation: Invocation) => void;
  /**
   * Waits for capacity shared with other runners (a process of a function pool) before each
   * invocation, and returns its release; the invocation's clock starts once it is granted.
   */
  readonly acquire?: () => Promise<() => void>;
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

/**
 * The long poll of an idle runner, as Lambda's (20 s). With 66 runners polling every second, an
 * idle stack spent a third of a core on empty receives (docs/decisions/0013).
 */
const defaultWaitSeconds = 20;

class FunctionTimeout extends Error {
  override readonly name = 'FunctionTimeout';
}

/**
 * Behaves like Lambda's SQS event source mapping for one function.
 *
 * Receives batches, invokes the real handler with a Lambda-shaped event and context, deletes the
 * messages that did not fail (partial batch response), and leaves failed ones to reappear after the
 * visibility timeout until the queue's redrive policy moves them to the DLQ. A handler that throws
 * or runs past its timeout fails the whole batch, as in Lambda.
 */
export function startFunctionRunner(options: FunctionRunnerOptions): FunctionRunner {
  let busy = 0;
  const invoke = async (messages: Message[]): Promise<Message[]> => {
    busy += 1;
    const release = await options.acquire?.();
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
      release?.();
      busy -= 1;
    }
  };
  let stopped = false;
  // Stopping ends the long polls at once rather than after their wait.
  const stopping = new AbortController();
  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const { Messages } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: stopping.signal },
    );
    return Messages ?? [];
  };
  // Lambda's batching window: after the first message, keep gathering until the batch is full
  // or the window has passed.
  const gather = async (first: Message[]): Promise<Message[]> => {
    const batch = [...first];
    const deadline = Date.now() + (options.batchWindowSeconds ?? 0) * 1000;
    while (!stopped && batch.length < options.batchSize) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const wait = Math.min(20, Math.floor(remaining / 1000));
      const more = await receive(options.batchSize - batch.length, wait);
      batch.push(...more);
      if (more.length === 0 && wait === 0)
        await new Promise((resolve) => setTimeout(resolve, Math.min(100, remaining)));
    }
    return batch;
  };
  const poll = async () => {
    while (!stopped) {
      try {
        const first = await receive(options.batchSize, options.waitTimeSeconds ?? defaultWaitSeconds);
        if (first.length === 0) continue;
        const batch = await gather(first);
        const done = await invoke(batch);
        if (done.length > 0) crashPoint('before-delete', options.functionName);
        for (let i = 0; i < done.length; i += 10) {
          await options.sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: options.queueUrl,
              Entries: done.slice(i, i + 10).map((message, index) => ({
                Id: String(index),
                ReceiptHandle: message.ReceiptHandle ?? '',
              })),
            }),
          );
        }
      } catch {
        // The emulator went away (stopping) or refused a request: wait, then poll again.
        if (!stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  };
  const pollers = Array.from({ length: options.maxConcurrency }, () => poll());
  return {
    get busy() {
      return busy;
    },
    async stop() {
      stopped = true;
      stopping.abort();
      // Each poller's receive is abandoned; it finishes any invocation under way. A message the
      // emulator was handing to an abandoned receive stays in flight until the next start hands
      // it back (hand-back-in-flight.ts), as after a crash.
      await Promise.all(pollers);
    },
  };
}
