import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import type { QueueConnection } from '../src/stack/queue-connection';
import { queuesDrained } from '../src/stack/queues-drained';

const pipeline = useTestPipeline();

/** The test pipeline's queues, as `reprocess --wait` and `verify --heal` see another process's. */
function connection(): QueueConnection {
  const { resources, clients, queueUrl } = pipeline();
  return {
    resources,
    sqs: clients.sqs,
    queueUrl,
    moveTasks: false,
    // Waiting reads no failures.
    failureLog: { source: 'none', failuresOf: async () => new Map() },
    close: async () => {},
  };
}

describe('waiting for the queues of a pipeline another process runs', () => {
  it('returns once every queue has been empty three checks in a row, ticking at each', async () => {
    let ticks = 0;
    await queuesDrained(connection(), { timeoutSeconds: 30, onTick: () => (ticks += 1) });
    expect(ticks).toBe(3);
  });

  it('fails, saying how long it waited, while a queue keeps a message', async () => {
    const { names, queueUrl } = pipeline();
    await pipeline().clients.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl(names.queue('load', 'dim_staff')), MessageBody: '{}' }),
    );
    await expect(queuesDrained(connection(), { timeoutSeconds: 2 })).rejects.toThrow(
      "the pipeline's queues did not empty within 2 s",
    );
  });
});
