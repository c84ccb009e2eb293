import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { LocalStack } from '@totes/local';
import { objectsCreated } from '@totes/pipeline';

/** A message in a DLQ, named by what it was about. */
export interface DeadLetter {
  readonly queue: string;
  /** The object key (transform and load) or the extract request (extract). */
  readonly subject: string;
  readonly receives: number;
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

/**
 * Looks at the messages in every DLQ without taking them: each is received with a zero
 * visibility timeout, so it stays in its queue for a later redrive.
 */
export async function deadLetters(stack: LocalStack): Promise<readonly DeadLetter[]> {
  const found: DeadLetter[] = [];
  for (const queue of stack.resources.queues) {
    const seen = new Set<string>();
    for (let page = 0; page < 10; page += 1) {
      const { Messages } = await stack.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queueUrl(queue.deadLetterQueue),
          MaxNumberOfMessages: 10,
          VisibilityTimeout: 0,
          WaitTimeSeconds: 0,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      );
      const fresh = (Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ''));
      if (fresh.length === 0) break;
      for (const message of fresh) {
        seen.add(message.MessageId ?? '');
        found.push({
          queue: queue.deadLetterQueue,
          subject: subjectOf(message.Body ?? ''),
          receives: Number(message.Attributes?.ApproximateReceiveCount ?? 0),
        });
      }
    }
  }
  return found;
}
