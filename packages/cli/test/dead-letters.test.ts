import {
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  type ListMessageMoveTasksResultEntry,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { failurePattern } from '../src/stack/cloud-watch-failure-log';
import { redrive, selectQueues } from '../src/stack/dead-letters';
import type { QueueConnection } from '../src/stack/queue-connection';

// The emulator has no message-move tasks, so this path of AWS is played by a fake SQS: it
// answers the four calls a whole-queue redrive makes, and nothing else.
const names = resourceNames('prod');
const dlq = names.deadLetterQueue('transform', 'fact_sales_order');
const arnOf = (name: string) => `arn:aws:sqs:eu-west-2:123456789012:${name}`;

function awsWithMoveTasks(progress: readonly ListMessageMoveTasksResultEntry[]) {
  const calls: unknown[] = [];
  let polls = 0;
  const sqs = {
    async send(command: unknown) {
      calls.push(command);
      if (command instanceof GetQueueAttributesCommand) {
        const name = String(command.input.QueueUrl).split('/').pop() ?? '';
        if (command.input.AttributeNames?.includes('QueueArn'))
          return { Attributes: { QueueArn: arnOf(name) } };
        return { Attributes: { ApproximateNumberOfMessages: name === dlq ? '3' : '0' } };
      }
      if (command instanceof StartMessageMoveTaskCommand) return { TaskHandle: 'task-1' };
      if (command instanceof ListMessageMoveTasksCommand) {
        return { Results: [progress[Math.min(polls++, progress.length - 1)]] };
      }
      throw new Error(`unexpected ${(command as object).constructor.name}`);
    },
  };
  const connection: QueueConnection = {
    resources: pipelineResources(names),
    sqs: sqs as unknown as SQSClient,
    failureLog: { source: 'nothing', failuresOf: async () => new Map() },
    moveTasks: true,
    queueUrl: (name) => `https://sqs.eu-west-2.amazonaws.com/123456789012/${name}`,
    close: async () => {},
  };
  return { connection, calls };
}

const polling = { moveTaskPolling: { intervalMs: 1, timeoutMs: 200 } };

describe('redrive with SQS message-move tasks', () => {
  it('moves a whole DLQ to its source queue with StartMessageMoveTask and waits until SQS reports it done', async () => {
    const { connection, calls } = awsWithMoveTasks([
      { Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 3 },
      { Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3, ApproximateNumberOfMessagesToMove: 3 },
    ]);

    const result = await redrive(
      connection,
      selectQueues(connection, { table: 'fact_sales_order' }),
      polling,
    );

    expect(result).toEqual({ moved: 3, moving: 0 });
    const started = calls.filter((call) => call instanceof StartMessageMoveTaskCommand);
    expect(started.map((call) => (call as StartMessageMoveTaskCommand).input)).toEqual([
      { SourceArn: arnOf(dlq), DestinationArn: arnOf(names.queue('transform', 'fact_sales_order')) },
    ]);
    expect(calls.some((call) => call instanceof ReceiveMessageCommand)).toBe(false);
  });

  it('reports what SQS is still moving when the wait is over', async () => {
    const { connection } = awsWithMoveTasks([
      { Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1, ApproximateNumberOfMessagesToMove: 3 },
    ]);

    const result = await redrive(connection, selectQueues(connection, { table: 'fact_sales_order' }), {
      moveTaskPolling: { intervalMs: 1, timeoutMs: 20 },
    });

    expect(result).toEqual({ moved: 1, moving: 2 });
  });

  it('fails with the reason SQS gives when the task fails', async () => {
    const { connection } = awsWithMoveTasks([
      { Status: 'FAILED', ApproximateNumberOfMessagesMoved: 0, FailureReason: 'AccessDenied: kms:Decrypt' },
    ]);

    await expect(
      redrive(connection, selectQueues(connection, { table: 'fact_sales_order' }), polling),
    ).rejects.toThrow(/could not move the messages of prod-transform-fact_sales_order-dlq .*kms:Decrypt/);
  });
});

describe('the CloudWatch Logs filter pattern', () => {
  it('names a dozen message ids within the 1,024 characters CloudWatch allows', () => {
    const ids = Array.from({ length: 12 }, () => crypto.randomUUID());
    const pattern = failurePattern(ids);
    expect(pattern.length).toBeLessThanOrEqual(1024);
    for (const id of ids) expect(pattern).toContain(`$.messageId = "${id}"`);
  });
});
