import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueueInspector } from './emulator-queue-inspector';

/**
 * Hands back, visible at once, every message the queues hold in flight. Called by whoever starts
 * the local stack, which owns its data directory: no function of another process can be working
 * on them, so each was held by a run that stopped (a crash, a kill) and would otherwise stay
 * invisible for its queue's visibility timeout, six times its function's timeout. A message a
 * handler had set to come back later (a retry's backoff) comes back now instead, which its
 * handler treats like any other delivery. Returns how many were handed back.
 */
export async function handBackInFlight(
  sqs: Pick<SQSClient, 'send'>,
  inspector: Pick<QueueInspector, 'inFlight'>,
  queueUrls: ReadonlyMap<string, string>,
): Promise<number> {
  let handedBack = 0;
  for (const [name, url] of queueUrls) {
    for (const receiptHandle of await inspector.inFlight(name)) {
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
