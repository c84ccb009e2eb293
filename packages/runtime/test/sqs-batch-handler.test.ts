import { MalformedObjectError, PipelineError } from '@totes/pipeline';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sqsBatchHandler } from '../src/index';
import { sqsRecord } from './sqs-record';

const record = sqsRecord;

const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const context = {} as Context;

function recordingLogger() {
  const errors: unknown[] = [];
  const warnings: unknown[] = [];
  return {
    errors,
    warnings,
    logger: {
      info() {},
      debug() {},
      warn: (...args: unknown[]) => warnings.push(args),
      error: (...args: unknown[]) => errors.push(args),
    },
  };
}

function recordingVisibility() {
  const delays = new Map<string, number>();
  return {
    delays,
    visibility: {
      async retryAfter(message: { receiptHandle: string }, seconds: number) {
        delays.set(message.receiptHandle, seconds);
      },
    },
  };
}

const policy = { baseSeconds: 2, maxSeconds: 60, maxReceiveCount: 5 };

describe('sqsBatchHandler', () => {
  it('reports only the failed messages as batch item failures', async () => {
    const { logger, errors } = recordingLogger();
    const seen: string[] = [];
    const handler = sqsBatchHandler(
      async (r) => {
        seen.push(r.body);
        if (r.body === 'poison') throw new Error('cannot read this');
      },
      { logger: logger as never },
    );
    const response = await handler(
      event(record('1', 'ok'), record('2', 'poison'), record('3', 'ok')),
      context,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(seen).toEqual(['ok', 'poison', 'ok']);
    expect(JSON.stringify(errors)).toContain('cannot read this');
  });

  it('on FIFO queues leaves the rest of the batch unprocessed after a failure', async () => {
    const { logger } = recordingLogger();
    const seen: string[] = [];
    const handler = sqsBatchHandler(
      async (r) => {
        seen.push(r.body);
        if (r.body === 'poison') throw new Error('no');
      },
      { logger: logger as never, stopOnFailure: true },
    );
    const response = await handler(
      event(record('1', 'ok'), record('2', 'poison'), record('3', 'ok')),
      context,
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['2', '3']);
    expect(seen).toEqual(['ok', 'poison']);
  });

  it('reports no failures for a batch that succeeds', async () => {
    const { logger } = recordingLogger();
    const handler = sqsBatchHandler(async () => {}, { logger: logger as never });
    expect(await handler(event(record('1', 'a')), context)).toEqual({ batchItemFailures: [] });
  });

  describe("with the stage's retry timing", () => {
    it('backs off a transient failure exponentially by its receive count, logged as a warning', async () => {
      const { logger, warnings, errors } = recordingLogger();
      const { visibility, delays } = recordingVisibility();
      const handler = sqsBatchHandler(
        async () => {
          throw new Error('connection reset');
        },
        { logger: logger as never, retry: { policy, visibility } },
      );
      await handler(event(record('1', 'a', 1), record('2', 'b', 3)), context);
      expect(Object.fromEntries(delays)).toEqual({ 'rh-1': 2, 'rh-2': 8 });
      expect(warnings).toHaveLength(2);
      expect(errors).toEqual([]);
      expect(JSON.stringify(warnings)).toContain('"kind":"transient"');
    });

    it('retries bad input at once, so it reaches its DLQ after real attempts within seconds', async () => {
      const { logger, errors } = recordingLogger();
      const { visibility, delays } = recordingVisibility();
      const handler = sqsBatchHandler(
        async (r) => {
          if (r.body === 'corrupt') throw new MalformedObjectError('t/k.parquet', 3, 'not Parquet');
          throw new PipelineError('no such table', { retryable: false });
        },
        { logger: logger as never, retry: { policy, visibility } },
      );
      const response = await handler(event(record('1', 'corrupt'), record('2', 'x')), context);
      expect(response.batchItemFailures).toHaveLength(2);
      expect(Object.fromEntries(delays)).toEqual({ 'rh-1': 0, 'rh-2': 0 });
      expect(JSON.stringify(errors)).toContain('t/k.parquet, line 3: not Parquet');
    });

    it('logs the last attempt as an error that sends the message to its DLQ, with no further wait', async () => {
      const { logger, errors } = recordingLogger();
      const { visibility, delays } = recordingVisibility();
      const handler = sqsBatchHandler(
        async () => {
          throw new Error('still down');
        },
        { logger: logger as never, retry: { policy, visibility } },
      );
      await handler(event(record('1', 'a', 5)), context);
      expect(delays.get('rh-1')).toBe(0);
      expect(JSON.stringify(errors)).toContain('"deadLetter":true');
    });

    it('lets a stage name its own kinds, such as a wait for what a message needs', async () => {
      const { logger, warnings } = recordingLogger();
      const { visibility, delays } = recordingVisibility();
      const handler = sqsBatchHandler(
        async () => {
          throw new Error('dimension rows missing');
        },
        { logger: logger as never, retry: { policy, visibility, kindOf: () => 'waiting' } },
      );
      await handler(event(record('1', 'a', 2)), context);
      expect(delays.get('rh-1')).toBe(4);
      expect(JSON.stringify(warnings)).toContain('"kind":"waiting"');
    });

    it('returns the unprocessed rest of a FIFO batch at once, without counting it as a failure', async () => {
      const { logger, warnings, errors } = recordingLogger();
      const { visibility, delays } = recordingVisibility();
      const handler = sqsBatchHandler(
        async (r) => {
          if (r.body === 'poison') throw new Error('down');
        },
        { logger: logger as never, stopOnFailure: true, retry: { policy, visibility } },
      );
      await handler(event(record('1', 'poison'), record('2', 'ok')), context);
      expect(Object.fromEntries(delays)).toEqual({ 'rh-1': 2, 'rh-2': 0 });
      expect(warnings).toHaveLength(1);
      expect(errors).toEqual([]);
    });

    it('still fails the message when its retry delay cannot be set', async () => {
      const { logger, warnings } = recordingLogger();
      const handler = sqsBatchHandler(
        async () => {
          throw new Error('down');
        },
        {
          logger: logger as never,
          retry: {
            policy,
            visibility: {
              retryAfter: async () => {
                throw new Error('SQS unreachable');
              },
            },
          },
        },
      );
      const response = await handler(event(record('1', 'a')), context);
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: '1' }]);
      expect(JSON.stringify(warnings)).toContain('SQS unreachable');
    });
  });
});
