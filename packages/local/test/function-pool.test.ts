import { fileURLToPath } from 'node:url';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { type FunctionPool, startFunctionPool } from '../src/index';

const module = fileURLToPath(new URL('./fixtures/echo-functions.mjs', import.meta.url));

const eventOf = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, index) => ({
    messageId: `m${index}`,
    receiptHandle: `r${index}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:q',
    awsRegion: 'eu-west-2',
  })),
});

const context = { getRemainingTimeInMillis: () => 30_000, functionName: 'echo' } as unknown as Context;

describe('the function pool (handlers in processes of their own)', () => {
  let pool: FunctionPool | undefined;
  afterEach(async () => {
    await pool?.stop();
    pool = undefined;
  });

  it('runs invocations in its processes, one at a time each, and passes back their results and logs', async () => {
    const logs: Record<string, unknown>[] = [];
    pool = startFunctionPool({
      module,
      size: 2,
      init: { prefix: 'p' },
      onLog: (entry) => logs.push({ ...entry }),
    });
    const echo = pool.handlerFor('echo');
    const responses = await Promise.all([
      echo(eventOf('ok', 'fail'), context),
      echo(eventOf('ok'), context),
      echo(eventOf('fail'), context),
    ]);
    expect(responses).toEqual([
      { batchItemFailures: [{ itemIdentifier: 'm1' }] },
      { batchItemFailures: [] },
      { batchItemFailures: [{ itemIdentifier: 'm0' }] },
    ]);
    const pids = new Set(logs.map((entry) => entry.pid));
    expect(pids.size).toBe(2);
    expect(pids.has(process.pid)).toBe(false);
    expect(logs.every((entry) => entry.prefix === 'p' && Number(entry.remaining) > 25_000)).toBe(true);
  });

  it('fails the invocation of a handler that throws with its error, and one whose process dies, then replaces the process', async () => {
    const errors: unknown[] = [];
    pool = startFunctionPool({
      module,
      size: 1,
      init: {},
      onLog: () => {},
      onError: (error) => errors.push(error),
    });
    const echo = pool.handlerFor('echo');
    await expect(echo(eventOf('throw'), context)).rejects.toThrow(/a handler error/);
    await expect(echo(eventOf('die'), context)).rejects.toThrow(/exited/);
    await expect(echo(eventOf('ok'), context)).resolves.toEqual({ batchItemFailures: [] });
    expect(errors.map(String).join('\n')).toMatch(/replaced/);
  });

  it('gives its processes the environment it is given, and their output to onOutput', async () => {
    const logs: Record<string, unknown>[] = [];
    const output: string[] = [];
    pool = startFunctionPool({
      module,
      size: 1,
      init: { prefix: 'p' },
      env: { PATH: process.env.PATH, ECHO_SETTING: 'from the pool' },
      onLog: (entry) => logs.push({ ...entry }),
      onOutput: (text) => output.push(text),
    });
    await pool.handlerFor('echo')(eventOf('env'), context);
    expect(logs.find((entry) => entry.message === 'env')?.setting).toBe('from the pool');
    expect(output.join('')).toContain('written by the function');
  });

  it('lends out at most as many processes as it has', async () => {
    pool = startFunctionPool({ module, size: 2, init: {}, onLog: () => {} });
    const first = await pool.acquire();
    await pool.acquire();
    let third = false;
    const waiting = pool.acquire().then(() => {
      third = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(third).toBe(false);
    first();
    await waiting;
    expect(third).toBe(true);
  });
});
