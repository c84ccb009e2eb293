import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueInspector } from './emulator-queue-inspector';

/**
 * Hands back, visible at once, every message the queues hold in flight.
 *
 * Called by whoever starts the local stack, which owns its data directory: no function of another
 * process can be working on them, so each was held by a run that stopped (a crash, a kill) and
 * would otherwise stay invisible for its queue's visibility timeout, six times its function's
 * timeout. A message a handler had set to come back later (a retry's backoff) comes back now
 * instead, which its handler treats like any other delivery. Returns how many were handed back.
 */
export async function handBackInFlight(
  sqs: Pick<SQSClient, 'send'>,
  inspector: Pick<QueueInspector, 'inFlight'>,
  queueUrls: ReadonlyMap<string, string>,
): Promise<number> {
  let handedBack = 0;
  // The queues side by side: each is a look at the emulator's store, and every start makes them.
  const held = await Promise.all(
    [...queueUrls].map(async ([name, url]) => ({ url, receiptHandles: await inspector.inFlight(name) })),
  );
  for (const { url, receiptHandles } of held) {
    for (const receiptHandle of receiptHandles) {
      try {
        await sqs.send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: url,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: 0,
          }),
        );
        handedBack += 1;
      } catch {
        // Deleted, or visible again, since it was inspected.
      }
    }
  }
  return handedBack;
}
