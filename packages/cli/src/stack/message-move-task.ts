import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { CliError } from '../cli-error';
import { errorSummary } from '../error-summary';

/** How often, and how long, to follow a message-move task before reporting it as still moving. */
export interface MoveTaskPolling {
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** What a message-move task moved, and what it was still moving when the wait was over. */
export interface MoveTaskOutcome {
  readonly moved: number;
  readonly moving: number;
}

/** One DLQ's move: the queues by name (for messages) and URL. */
export interface QueueMove {
  readonly from: { readonly name: string; readonly url: string };
  readonly to: { readonly name: string; readonly url: string };
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`GetQueueAttributes returned no ARN for ${url}`);
  return Attributes.QueueArn;
}

/**
 * Starts SQS moving every message of a DLQ back to a queue (`StartMessageMoveTask`).
 *
 * Returns the DLQ's ARN, by which the task is followed. Throws when SQS will not (no such API, as
 * in the local emulator; no permission; a task already running).
 */
export async function startMessageMoveTask(sqs: SQSClient, move: QueueMove): Promise<string> {
  const sourceArn = await queueArn(sqs, move.from.url);
  const destinationArn = await queueArn(sqs, move.to.url);
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: sourceArn, DestinationArn: destinationArn }));
  return sourceArn;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Follows the message-move task of a DLQ until SQS reports it done, or the wait is over.
 *
 * The task followed is the most recent, the one just started; when the wait is over, what is left
 * is reported as still moving. Fails with SQS's reason when the task fails; when it cannot be
 * followed (no permission for `ListMessageMoveTasks`), says so and counts the `expected` messages
 * as still moving.
 */
export async function followMessageMoveTask(
  sqs: SQSClient,
  move: QueueMove,
  sourceArn: string,
  expected: number,
  polling: MoveTaskPolling,
  warn: (line: string) => void,
): Promise<MoveTaskOutcome> {
  const deadline = Date.now() + polling.timeoutMs;
  for (;;) {
    await sleep(polling.intervalMs);
    let task: ListMessageMoveTasksResultEntry | undefined;
    try {
      const { Results } = await sqs.send(
        new ListMessageMoveTasksCommand({ SourceArn: sourceArn, MaxResults: 1 }),
      );
      task = Results?.[0];
    } catch (error) {
      warn(
        `could not follow the move of ${move.from.name} (${errorSummary(error)}): SQS is moving about ${expected} message(s)`,
      );
      return { moved: 0, moving: expected };
    }
    const moved = task?.ApproximateNumberOfMessagesMoved ?? 0;
    if (task?.Status === 'COMPLETED' || task?.Status === 'CANCELLED') return { moved, moving: 0 };
    if (task?.Status === 'FAILED') {
      throw new CliError(
        `SQS could not move the messages of ${move.from.name} back to ${move.to.name} (${moved} moved): ${task.FailureReason ?? 'no reason given'}`,
      );
    }
    if (Date.now() >= deadline) {
      return { moved, moving: Math.max(0, (task?.ApproximateNumberOfMessagesToMove ?? expected) - moved) };
    }
  }
}
