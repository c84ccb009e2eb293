import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { useTestPipeline } from '@totes/test-harness';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { startFunctionRunner } from '../src/index';

const until = async (condition: () => boolean | Promise<boolean>, seconds: number) => {
  const deadline = Date.now() + seconds * 1000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('the function runner (Lambda SQS event source mapping)', () => {
  const pipeline = useTestPipeline({ visibilityTimeoutSeconds: 1 });

  it('invokes the handler with Lambda-shaped events, deletes successes and dead-letters a message after maxReceiveCount failures', async () => {
    const { clients, names, resources, aws } = pipeline();
    const queue = resources.queues.find((q) => q.name === names.queue('transform', 'dim_design'));
    if (!queue) throw new Error('no transform queue for dim_design');
    const queueUrl = pipeline().queueUrl(queue.name);
    for (const body of ['good-1', 'poison', 'good-2']) {
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }
    const events: SQSEvent[] = [];
    const handled: string[] = [];
    const runner = startFunctionRunner({
      functionName: names.functionName('transform', 'dim_design'),
      sqs: clients.sqs,
      queueUrl,
      queueArn: `arn:aws:sqs:${aws.region}:000000000000:${queue.name}`,
      region: aws.region,
      batchSize: 10,
      maxConcurrency: 1,
      timeoutSeconds: 5,
      handler: async (event) => {
        events.push(event);
        handled.push(...event.Records.map((r) => r.body));
        return {
          batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      },
    });
    try {
      await until(async () => {
        const { Messages } = await clients.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: pipeline().queueUrl(queue.deadLetterQueue),
            WaitTimeSeconds: 0,
            VisibilityTimeout: 0,
          }),
        );
        return (Messages ?? []).some((m) => m.Body === 'poison');
      }, 30);
    } finally {
      await runner.stop();
    }
    expect(handled.filter((body) => body === 'poison')).toHaveLength(queue.maxReceiveCount);
    expect(handled.filter((body) => body !== 'poison').sort()).toEqual(['good-1', 'good-2']);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      awsRegion: aws.region,
      eventSourceARN: expect.stringContaining(queue.name),
    });
    expect(record?.attributes.ApproximateReceiveCount).toBe('1');
  });

  it('runs at most maxConcurrency invocations at once and fails a batch whose handler times out', async () => {
    const { clients, names, resources, aws } = pipeline();
    const queue = resources.queues.find((q) => q.name === names.queue('load', 'dim_currency'));
    if (!queue) throw new Error('no load queue for dim_currency');
    const queueUrl = pipeline().queueUrl(queue.name);
    for (let i = 0; i < 6; i += 1)
      await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `m${i}` }));
    let running = 0;
    let peak = 0;
    const done = new Set<string>();
    let timedOut = 0;
    const runner = startFunctionRunner({
      functionName: 'slow',
      sqs: clients.sqs,
      queueUrl,
      queueArn: 'arn:aws:sqs:x:0:slow',
      region: aws.region,
      batchSize: 1,
      maxConcurrency: 2,
      timeoutSeconds: 1,
      onInvocation: (invocation) => {
        if (invocation.error) timedOut += 1;
      },
      handler: async (event) => {
        running += 1;
        peak = Math.max(peak, running);
        const body = event.Records[0]?.body ?? '';
        // The first delivery of m0 outlives the function's timeout.
        const slow = body === 'm0' && event.Records[0]?.attributes.ApproximateReceiveCount === '1';
        await new Promise((resolve) => setTimeout(resolve, slow ? 1500 : 200));
        running -= 1;
        if (!slow) done.add(body);
        return { batchItemFailures: [] };
      },
    });
    try {
      await until(() => done.size === 6, 30);
    } finally {
      await runner.stop();
    }
    expect(peak).toBe(2);
    expect(timedOut).toBe(1);
  });

  it('gathers messages for its batching window before invoking, as Lambda does', async () => {
    const { clients, names, resources, aws } = pipeline();
    const queue = resources.queues.find((q) => q.name === names.queue('load', 'dim_design'));
    if (!queue) throw new Error('no load queue for dim_design');
    const queueUrl = pipeline().queueUrl(queue.name);
    const batches: string[][] = [];
    const runner = startFunctionRunner({
      functionName: 'windowed',
      sqs: clients.sqs,
      queueUrl,
      queueArn: 'arn:aws:sqs:x:0:windowed',
      region: aws.region,
      batchSize: 10,
      batchWindowSeconds: 0.9,
      maxConcurrency: 1,
      timeoutSeconds: 5,
      handler: async (event) => {
        batches.push(event.Records.map((r) => r.body));
        return { batchItemFailures: [] };
      },
    });
    try {
      for (const body of ['w1', 'w2', 'w3']) {
        await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      await until(() => batches.flat().length === 3, 15);
    } finally {
      await runner.stop();
    }
    expect(batches).toEqual([['w1', 'w2', 'w3']]);
  });
});
