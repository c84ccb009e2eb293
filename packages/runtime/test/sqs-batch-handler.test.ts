import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { sqsBatchHandler } from '../src/index';

function record(id: string, body: string): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `rh-${id}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:q',
    awsRegion: 'eu-west-2',
  };
}

const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const context = {} as Context;

function recordingLogger() {
  const errors: unknown[] = [];
  return {
    errors,
    logger: { info() {}, warn() {}, debug() {}, error: (...args: unknown[]) => errors.push(args) },
  };
}

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
});
