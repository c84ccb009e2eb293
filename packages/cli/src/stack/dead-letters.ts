import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import {
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { objectsCreated, type QueueResource } from '@totes/pipeline';
import type { StackConnection } from './stack-connection';

/** A message in a DLQ: which queue, what it was about, how often it was tried, and why it failed. */
export interface DeadLetter {
  readonly queue: string;
  readonly stage: QueueResource['stage'];
  readonly table: string;
  readonly messageId: string;
  /** The object key (transform and load) or the extract request (extract). */
  readonly subject: string;
  /** The failed attempts the logs hold for it (0 when the logs have none, e.g. timeouts). */
  readonly attempts: number;
  /** The last error logged for the message, when the logs have it. */
  readonly error?: string;
}

function subjectOf(body: string): string {
  try {
    const keys = objectsCreated(body).map((object) => object.key);
    if (keys.length > 0) return keys.join(', ');
  } catch {
    // Not an S3 notification: an extract request, or something malformed.
  }
  return body.length > 200 ? `${body.slice(0, 200)}…` : body;
}

/** What the functions logged of one message's failures. */
interface FailureRecord {
  failures: number;
  last: string;
}

/**
 * The failures the functions logged for each message id (a dead letter keeps its id): how many
 * times it failed, and the last error. Counting receives instead would be wrong: every look at a
 * DLQ is a receive too.
 */
async function loggedFailures(logPath: string): Promise<Map<string, FailureRecord>> {
  const records = new Map<string, FailureRecord>();
  if (
    !(await access(logPath)
      .then(() => true)
      .catch(() => false))
  )
    return records;
  const lines = createInterface({ input: createReadStream(logPath), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line.includes('"message failed"')) continue;
    try {
      const entry = JSON.parse(line) as { messageId?: string; error?: { name?: string; message?: string } };
      if (!entry.messageId) continue;
      const record = records.get(entry.messageId) ?? { failures: 0, last: '' };
      record.failures += 1;
      record.last = `${entry.error?.name ?? 'Error'}: ${entry.error?.message ?? '(no message)'}`;
      records.set(entry.messageId, record);
    } catch {
      // A line cut short by a crash: skip it.
    }
  }
  return records;
}

/** Receives every message of a queue once, hiding each for `hideSeconds` (0 leaves them visible). */
async function receiveAll(connection: StackConnection, url: string, hideSeconds: number): Promise<Message[]> {
  const seen = new Map<string, Message>();
  for (let page = 0; page < 100; page += 1) {
    const { Messages } = await connection.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: hideSeconds,
        WaitTimeSeconds: 0,
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const fresh = (Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ''));
    if (fresh.length === 0) break;
    for (const message of fresh) seen.set(message.MessageId ?? '', message);
  }
  return [...seen.values()];
}

/** The queues a filter names: a stage, a table, or all. */
export function selectQueues(
  connection: StackConnection,
  filter: { readonly stage?: string; readonly table?: string },
): readonly QueueResource[] {
  return connection.resources.queues.filter(
    (queue) =>
      (!filter.stage || queue.stage === filter.stage) && (!filter.table || queue.table === filter.table),
  );
}

/**
 * Looks at the messages in the DLQs without taking them (each is received with a zero
 * visibility timeout), with the last error the logs hold for each.
 */
export async function deadLetters(
  connection: StackConnection,
  queues: readonly QueueResource[] = connection.resources.queues,
): Promise<readonly DeadLetter[]> {
  const failures = await loggedFailures(connection.logPath);
  const found: DeadLetter[] = [];
  for (const queue of queues) {
    for (const message of await receiveAll(connection, connection.queueUrl(queue.deadLetterQueue), 0)) {
      const messageId = message.MessageId ?? '';
      const record = failures.get(messageId);
      found.push({
        queue: queue.deadLetterQueue,
        stage: queue.stage,
        table: queue.table,
        messageId,
        subject: subjectOf(message.Body ?? ''),
        attempts: record?.failures ?? 0,
        ...(record ? { error: record.last } : {}),
      });
    }
  }
  return found;
}

/**
 * Moves every message of the selected DLQs back to its source queue (send, then delete), as
 * `StartMessageMoveTask` does in AWS. FIFO messages keep their group and get a new
 * deduplication id, so they are not dropped as duplicates.
 */
export async function redrive(
  connection: StackConnection,
  queues: readonly QueueResource[],
): Promise<number> {
  let moved = 0;
  for (const queue of queues) {
    const dlqUrl = connection.queueUrl(queue.deadLetterQueue);
    for (const message of await receiveAll(connection, dlqUrl, 60)) {
      await connection.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: connection.queueUrl(queue.name),
          MessageBody: message.Body ?? '',
          ...(queue.fifo
            ? {
                MessageGroupId: message.Attributes?.MessageGroupId ?? queue.table,
                MessageDeduplicationId: `redrive-${message.MessageId}-${Date.now()}`,
              }
            : {}),
        }),
      );
      await connection.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      moved += 1;
    }
  }
  return moved;
}

/** Deletes every message of the selected DLQs. */
export async function purge(connection: StackConnection, queues: readonly QueueResource[]): Promise<number> {
  let deleted = 0;
  for (const queue of queues) {
    const dlqUrl = connection.queueUrl(queue.deadLetterQueue);
    for (const message of await receiveAll(connection, dlqUrl, 60)) {
      await connection.clients.sqs.send(
        new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
      );
      deleted += 1;
    }
  }
  return deleted;
}
