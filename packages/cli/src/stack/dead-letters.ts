import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  type Message,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { inBatches, type MessageCounts, messageCounts, totalOf } from '@totes/local';
import { objectsCreated, type QueueResource } from '@totes/pipeline';
import { errorSummary } from '../error-summary';
import type { FailureRecord, LoggedMessage } from './failure-log';

import {
  followMessageMoveTask,
  type MoveTaskOutcome,
  type MoveTaskPolling,
  startMessageMoveTask,
} from './message-move-task';
import type { QueueConnection } from './queue-connection';

/** A message in a DLQ: which queue, what it was about, how often it was tried, and why it failed. */
export interface DeadLetter {
  readonly queue: string;
  readonly stage: QueueResource['stage'];
  readonly table: string;
  readonly messageId: string;
  /** The object key (transform and load) or the extract request (extract). */
  readonly subject: string;
  /**
   * The failed attempts the logs hold for it: 0 when they hold none (a timeout logs no failure),
   * null when the logs could not be read.
   */
  readonly attempts: number | null;
  /** The last error logged for the message, when the logs have it. */
  readonly error?: string;
}

/**
 * A DLQ that holds messages.
 *
 * How many SQS counts in it (as `totes status` does) and how many of them the listing could read.
 * In AWS a FIFO DLQ shows at most ten messages of a message group at a time (SQS holds back the
 * rest of a group while any of it is received), so `listed` can fall short of `messages`; locally
 * every message is read from the emulator's own view.
 */
export interface DeadLetterQueueCount {
  readonly queue: string;
  readonly stage: QueueResource['stage'];
  readonly table: string;
  /** Every message SQS counts: visible, in flight and delayed. */
  readonly messages: number;
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  /** The messages the listing read (before `--message-id` chose among them). */
  readonly listed: number;
}

/** What a listing found: the dead letters, and per DLQ holding any, its counts beside what was listed. */
export interface DeadLetterListing {
  readonly letters: readonly DeadLetter[];
  readonly queues: readonly DeadLetterQueueCount[];
}

/** Which messages of the selected DLQs to act on, and where to hear what degrades the result. */
export interface DeadLetterOptions {
  /** Only these messages (SQS message ids); every message when absent. */
  readonly messageIds?: readonly string[];
  /**
   * Only the messages of this table. Per-table DLQs are chosen by `selectQueues`; the extract
   * DLQ holds every table's requests, whose messages are chosen by the table their body names.
   */
  readonly table?: string;
  /** Told of what does not stop the operation (logs unreadable, a fallback taken). */
  readonly onWarning?: (line: string) => void;
  /** How often, and how long, to follow a message-move task (default: every second, two minutes). */
  readonly moveTaskPolling?: MoveTaskPolling;
}

/** What a redrive moved, and what SQS was still moving when the command stopped waiting. */
export type RedriveResult = MoveTaskOutcome;

function subjectOf(body: string): string {
  try {
    const keys = objectsCreated(body).map((object) => object.key);
    if (keys.length > 0) return keys.join(', ');
  } catch {
    // Not an S3 notification: an extract request, or something malformed.
  }
  return body.length > 200 ? `${body.slice(0, 200)}…` : body;
}

/** The queues a filter names: a stage, a table, or all. */
export function selectQueues(
  connection: Pick<QueueConnection, 'resources'>,
  filter: { readonly stage?: string; readonly table?: string },
): readonly QueueResource[] {
  return connection.resources.queues.filter(
    (queue) =>
      (!filter.stage || queue.stage === filter.stage) &&
      (!filter.table || (queue.tables as readonly string[]).includes(filter.table)),
  );
}

/** A DLQ that holds messages, with its URL and counts. */
interface DeadLetterQueue {
  readonly queue: QueueResource;
  readonly url: string;
  readonly counts: MessageCounts;
}

/** The selected DLQs that hold anything (one `GetQueueAttributes` each, ten at a time). */
async function occupiedDeadLetterQueues(
  connection: QueueConnection,
  queues: readonly QueueResource[],
): Promise<DeadLetterQueue[]> {
  const all = await inBatches(queues, 10, async (queue) => {
    const url = connection.queueUrl(queue.deadLetterQueue);
    return { queue, url, counts: await messageCounts(connection.sqs, url) };
  });
  return all.filter((dlq) => totalOf(dlq.counts) > 0);
}

/** How long a scan hides what it has received, so that the next receive returns other messages. */
const hideSeconds = 120;

/**
 * Receives every message of a DLQ once, ten at a time, and hands each batch to `take` before
 * the next receive. Each message stays hidden for the rest of the scan: received with a zero
 * visibility timeout, SQS keeps returning the same first messages (a FIFO queue always does,
 * AWS's sampling of its servers often). Receives wait up to a second while fewer messages than
 * counted have come (a long poll asks every server in AWS), and the scan ends at the first receive
 * with nothing new.
 */
async function scanQueue(
  sqs: SQSClient,
  dlq: DeadLetterQueue,
  take: (messages: readonly Message[]) => Promise<void>,
): Promise<void> {
  const expected = totalOf(dlq.counts);
  const seen = new Set<string>();
  for (let round = 0; round < 1000; round += 1) {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: dlq.url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: hideSeconds,
        WaitTimeSeconds: seen.size < expected ? 1 : 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const fresh = (Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ''));
    if (fresh.length === 0) return;
    for (const message of fresh) seen.add(message.MessageId ?? '');
    await take(fresh);
  }
}

/** How long a released message stays hidden: not at all. */
const releaseSeconds = 0;

/** Makes messages a scan hid visible again (at once, not after `hideSeconds`). */
async function release(
  sqs: SQSClient,
  dlq: DeadLetterQueue,
  messages: readonly Message[],
  warn: (line: string) => void,
): Promise<void> {
  let failed = 0;
  let reason = '';
  for (let start = 0; start < messages.length; start += 10) {
    const batch = messages.slice(start, start + 10);
    try {
      const { Failed } = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: dlq.url,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: releaseSeconds,
          })),
        }),
      );
      failed += Failed?.length ?? 0;
      reason ||= Failed?.[0]?.Message ?? '';
    } catch (error) {
      failed += batch.length;
      reason ||= errorSummary(error);
    }
  }
  if (failed > 0) {
    warn(
      `${failed} message(s) of ${dlq.queue.deadLetterQueue} stay hidden for up to ${hideSeconds} s after this look (${reason})`,
    );
  }
}

/** The messages `--message-id` chose (every message without it), and the ids never met. */
interface Selection {
  (message: Message): boolean;
  /** Tells of chosen ids that none of the scanned DLQs held. */
  reportMissing(warn: (line: string) => void): void;
}

/** The table an extract request names; undefined for any other message (an S3 notification). */
export function requestTableOf(body: string): string | undefined {
  try {
    const request = JSON.parse(body) as { table?: unknown; mode?: unknown };
    return typeof request.table === 'string' && typeof request.mode === 'string' ? request.table : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a selection chooses among the messages of `queue`, not the whole of it: by id, or by
 * table in a queue that carries several tables (the extract DLQ).
 */
const choosesMessages = (options: DeadLetterOptions, queue: QueueResource) =>
  options.messageIds !== undefined || (options.table !== undefined && queue.tables.length > 1);

function selector(messageIds: readonly string[] | undefined, table?: string): Selection {
  const missing = new Set(messageIds);
  const selected = (message: Message) => {
    const requested = requestTableOf(message.Body ?? '');
    if (table !== undefined && requested !== undefined && requested !== table) return false;
    if (!messageIds) return true;
    const chosen = messageIds.includes(message.MessageId ?? '');
    if (chosen) missing.delete(message.MessageId ?? '');
    return chosen;
  };
  return Object.assign(selected, {
    reportMissing(warn: (line: string) => void) {
      for (const id of missing) warn(`no dead letter ${id} in the selected DLQs`);
    },
  });
}

/** Calls `onWarning` once per distinct line. */
function warnings(onWarning: ((line: string) => void) | undefined): (line: string) => void {
  const said = new Set<string>();
  return (line) => {
    if (said.has(line)) return;
    said.add(line);
    onWarning?.(line);
  };
}

const loggedMessage = (message: Message): LoggedMessage => {
  const sentAt = Number(message.Attributes?.SentTimestamp);
  return { messageId: message.MessageId ?? '', ...(sentAt > 0 ? { sentAt } : {}) };
};

/**
 * Every message of a DLQ that can be read: from the connection's inspector where it has one
 * (nothing is received), otherwise received and made visible again.
 */
async function readQueue(
  connection: QueueConnection,
  dlq: DeadLetterQueue,
  warn: (line: string) => void,
): Promise<readonly Message[]> {
  if (connection.inspector) return connection.inspector.messages(dlq.queue.deadLetterQueue);
  const received: Message[] = [];
  await scanQueue(connection.sqs, dlq, async (messages) => {
    received.push(...messages);
  });
  await release(connection.sqs, dlq, received, warn);
  return received;
}

/**
 * Looks at the messages in the DLQs without taking them, with the failures logged for each.
 *
 * Locally they are read from the emulator's own view; in AWS received, then made visible again. Per
 * DLQ, the counts SQS gives stand beside how many messages were listed. When the logs cannot be
 * read (no permission, no CloudWatch Logs), the messages are still listed, with their attempts
 * unknown, and `onWarning` is told once.
 */
export async function deadLetters(
  connection: QueueConnection,
  queues: readonly QueueResource[] = connection.resources.queues,
  options: DeadLetterOptions = {},
): Promise<DeadLetterListing> {
  const selected = selector(options.messageIds, options.table);
  const warn = warnings(options.onWarning);
  let logsUnreadable = false;
  const found: DeadLetter[] = [];
  const counts: DeadLetterQueueCount[] = [];
  for (const dlq of await occupiedDeadLetterQueues(connection, queues)) {
    const received = await readQueue(connection, dlq, warn);
    counts.push({
      queue: dlq.queue.deadLetterQueue,
      stage: dlq.queue.stage,
      // The extract DLQ holds every table's requests.
      table: dlq.queue.table ?? 'all',
      messages: totalOf(dlq.counts),
      ...dlq.counts,
      listed: received.length,
    });
    const letters = received.filter(selected);
    let failures: ReadonlyMap<string, FailureRecord> = new Map();
    if (letters.length > 0 && !logsUnreadable) {
      try {
        failures = await connection.failureLog.failuresOf(dlq.queue, letters.map(loggedMessage));
      } catch (error) {
        logsUnreadable = true;
        warn(
          `attempts and errors unknown: could not read ${connection.failureLog.source} (${errorSummary(error)})`,
        );
      }
    }
    for (const message of letters) {
      const messageId = message.MessageId ?? '';
      const record = failures.get(messageId);
      found.push({
        queue: dlq.queue.deadLetterQueue,
        stage: dlq.queue.stage,
        table:
          dlq.queue.table ?? requestTableOf(message.Body ?? '') ?? message.Attributes?.MessageGroupId ?? '',
        messageId,
        subject: subjectOf(message.Body ?? ''),
        attempts: logsUnreadable ? null : (record?.failures ?? 0),
        ...(record ? { error: record.last } : {}),
      });
    }
  }
  selected.reportMissing(warn);
  return { letters: found, queues: counts };
}

/** Runs `act` on each selected message of a DLQ, one at a time, and shows the others again. */
async function eachSelected(
  connection: QueueConnection,
  dlq: DeadLetterQueue,
  selected: Selection,
  warn: (line: string) => void,
  act: (message: Message) => Promise<void>,
): Promise<void> {
  const kept: Message[] = [];
  await scanQueue(connection.sqs, dlq, async (messages) => {
    for (const message of messages) {
      if (selected(message)) await act(message);
      else kept.push(message);
    }
  });
  await release(connection.sqs, dlq, kept, warn);
}

/**
 * Moves messages of a DLQ back to its source queue one at a time (send, then delete), the way
 * `StartMessageMoveTask` does in AWS; what is not selected is made visible again. FIFO messages
 * keep their group and get a new deduplication id, so they are not dropped as duplicates.
 */
async function moveEach(
  connection: QueueConnection,
  dlq: DeadLetterQueue,
  selected: Selection,
  warn: (line: string) => void,
): Promise<number> {
  const target = connection.queueUrl(dlq.queue.name);
  let moved = 0;
  await eachSelected(connection, dlq, selected, warn, async (message) => {
    await connection.sqs.send(
      new SendMessageCommand({
        QueueUrl: target,
        MessageBody: message.Body ?? '',
        ...(dlq.queue.fifo
          ? {
              MessageGroupId:
                message.Attributes?.MessageGroupId ?? requestTableOf(message.Body ?? '') ?? dlq.queue.stage,
              MessageDeduplicationId: `redrive-${message.MessageId}-${Date.now()}`,
            }
          : {}),
      }),
    );
    await connection.sqs.send(
      new DeleteMessageCommand({ QueueUrl: dlq.url, ReceiptHandle: message.ReceiptHandle }),
    );
    moved += 1;
  });
  return moved;
}

/**
 * Moves the messages of the selected DLQs back to their source queues.
 *
 * A whole queue is moved by SQS itself where it can (`StartMessageMoveTask`, in AWS), followed
 * until it is done; chosen messages, and every message where message-move tasks are unavailable
 * (the local emulator, or no permission), are moved one at a time, and `onWarning` is told of the
 * fallback once.
 */
export async function redrive(
  connection: QueueConnection,
  queues: readonly QueueResource[],
  options: DeadLetterOptions = {},
): Promise<RedriveResult> {
  const selected = selector(options.messageIds, options.table);
  const warn = warnings(options.onWarning);
  const polling = options.moveTaskPolling ?? { intervalMs: 1000, timeoutMs: 120_000 };
  let moveTasks = connection.moveTasks;
  let moved = 0;
  let moving = 0;
  for (const dlq of await occupiedDeadLetterQueues(connection, queues)) {
    if (moveTasks && !choosesMessages(options, dlq.queue)) {
      const move = {
        from: { name: dlq.queue.deadLetterQueue, url: dlq.url },
        to: { name: dlq.queue.name, url: connection.queueUrl(dlq.queue.name) },
      };
      const sourceArn = await startMessageMoveTask(connection.sqs, move).catch((error: unknown) => {
        moveTasks = false;
        warn(`StartMessageMoveTask is not available (${errorSummary(error)}): moving messages one at a time`);
        return undefined;
      });
      if (sourceArn) {
        const outcome = await followMessageMoveTask(
          connection.sqs,
          move,
          sourceArn,
          totalOf(dlq.counts),
          polling,
          warn,
        );
        moved += outcome.moved;
        moving += outcome.moving;
        continue;
      }
    }
    moved += await moveEach(connection, dlq, selected, warn);
  }
  selected.reportMissing(warn);
  return { moved, moving };
}

/**
 * Deletes the messages of the selected DLQs for good.
 *
 * A whole queue with `PurgeQueue` (counted just before), chosen messages one at a time. Where a
 * queue cannot be purged (one purge a minute in AWS, or no permission), its messages are deleted
 * one at a time.
 */
export async function purge(
  connection: QueueConnection,
  queues: readonly QueueResource[],
  options: DeadLetterOptions = {},
): Promise<number> {
  const selected = selector(options.messageIds, options.table);
  const warn = warnings(options.onWarning);
  let deleted = 0;
  for (const dlq of await occupiedDeadLetterQueues(connection, queues)) {
    if (!choosesMessages(options, dlq.queue)) {
      try {
        await connection.sqs.send(new PurgeQueueCommand({ QueueUrl: dlq.url }));
        deleted += totalOf(dlq.counts);
        continue;
      } catch (error) {
        warn(
          `could not purge ${dlq.queue.deadLetterQueue} (${errorSummary(error)}): deleting its messages one at a time`,
        );
      }
    }
    await eachSelected(connection, dlq, selected, warn, async (message) => {
      await connection.sqs.send(
        new DeleteMessageCommand({ QueueUrl: dlq.url, ReceiptHandle: message.ReceiptHandle }),
      );
      deleted += 1;
    });
  }
  selected.reportMissing(warn);
  return deleted;
}
