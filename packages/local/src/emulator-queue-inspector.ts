import type { Message } from '@aws-sdk/client-sqs';

/** Reads every message a queue holds without receiving it, so nothing is hidden or moved. */
export interface QueueInspector {
  /** Every message of the queue, in the order it was sent, each once. */
  messages(queueName: string): Promise<readonly Message[]>;
  /** The receipt handles of the queue's messages that are in flight (received, not deleted). */
  inFlight(queueName: string): Promise<readonly string[]>;
}

/** A message as the emulator's inspection shows it (fauxqs `SqsMessage`, the fields used). */
interface InspectedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly sentTimestamp: number;
  readonly approximateReceiveCount: number;
  readonly messageGroupId?: string;
  readonly sequenceNumber?: string;
}

interface Inspection {
  readonly messages: {
    readonly ready: readonly InspectedMessage[];
    readonly delayed: readonly InspectedMessage[];
    readonly inflight: readonly { readonly message: InspectedMessage; readonly receiptHandle?: string }[];
  };
}

function isInspection(value: unknown): value is Inspection {
  const messages = (value as { messages?: Partial<Inspection['messages']> } | null)?.messages;
  return (
    Array.isArray(messages?.ready) &&
    Array.isArray(messages?.delayed) &&
    Array.isArray(messages?.inflight) &&
    [...messages.ready, ...messages.delayed, ...messages.inflight.map((entry) => entry?.message)].every(
      (message) => typeof message?.messageId === 'string' && typeof message.body === 'string',
    )
  );
}

/** Send order: by FIFO sequence number where both have one (it orders the whole queue), else by send time. */
function sendOrder(a: InspectedMessage, b: InspectedMessage): number {
  const digits = /^\d+$/;
  if (
    a.sequenceNumber &&
    b.sequenceNumber &&
    digits.test(a.sequenceNumber) &&
    digits.test(b.sequenceNumber)
  ) {
    const [x, y] = [BigInt(a.sequenceNumber), BigInt(b.sequenceNumber)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a.sentTimestamp - b.sentTimestamp;
}

/** The message as `ReceiveMessage` would give it (with `MessageSystemAttributeNames: ['All']`), without a receipt handle. */
function asReceived(message: InspectedMessage): Message {
  return {
    MessageId: message.messageId,
    Body: message.body,
    Attributes: {
      SentTimestamp: String(message.sentTimestamp),
      ApproximateReceiveCount: String(message.approximateReceiveCount),
      ...(message.messageGroupId ? { MessageGroupId: message.messageGroupId } : {}),
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    },
  };
}

/**
 * The emulator's own view of a queue (fauxqs's `GET /_fauxqs/queues/<name>` on its endpoint).
 *
 * Every message it holds, visible, delayed or in flight, read in one step without receiving any.
 * Receiving cannot list a FIFO queue whole: SQS hands out no more of a message group while any of
 * it is in flight, and the emulator one message per group.
 */
export function emulatorQueueInspector(endpoint: string): QueueInspector {
  const inspect = async (queueName: string): Promise<Inspection> => {
    const url = `${endpoint.replace(/\/$/, '')}/_fauxqs/queues/${encodeURIComponent(queueName)}`;
    const response = await fetch(url);
    if (!response.ok) {
      throw new Error(
        `the emulator at ${endpoint} could not show queue ${queueName}: HTTP ${response.status}`,
      );
    }
    const inspection: unknown = await response.json();
    if (!isInspection(inspection)) {
      throw new Error(`the emulator at ${endpoint} showed queue ${queueName} in a form not understood`);
    }
    return inspection;
  };
  return {
    async inFlight(queueName) {
      const { inflight } = (await inspect(queueName)).messages;
      return inflight.flatMap((entry) => (entry.receiptHandle ? [entry.receiptHandle] : []));
    },
    async messages(queueName) {
      const { ready, delayed, inflight } = (await inspect(queueName)).messages;
      const seen = new Set<string>();
      return [...ready, ...delayed, ...inflight.map((entry) => entry.message)]
        .filter((message) => !seen.has(message.messageId) && seen.add(message.messageId))
        .sort(sendOrder)
        .map(asReceived);
    },
  };
}
