import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueInspector } from '@totes/local';
import type { PipelineResources } from '@totes/pipeline';
import type { FailureLog } from './failure-log';

/**
 * What the operations on a deployment's queues need, whether it is the local stack or an environment in AWS.
 *
 * Its queues, an SQS client, and where its functions log their failures.
 */
export interface QueueConnection {
  readonly resources: PipelineResources;
  readonly sqs: SQSClient;
  /** Where the functions' "message failed" lines are read from. */
  readonly failureLog: FailureLog;
  /**
   * Whether to move a whole DLQ with SQS's own `StartMessageMoveTask` (AWS) rather than message
   * by message (the local emulator has no message-move tasks).
   */
  readonly moveTasks: boolean;
  /**
   * Reads a queue's messages without receiving them, where the deployment can (the local
   * emulator): a listing then shows every message, which receiving cannot on a FIFO queue.
   */
  readonly inspector?: QueueInspector;
  /** The URL of a queue or DLQ of `resources`, by name. */
  queueUrl(name: string): string;
  close(): Promise<void>;
}
