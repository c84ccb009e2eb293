import { PipelineError } from '@totes/pipeline';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { type PipelineLogger, type PipelineMetrics, stageHandler } from '../src/index';
import { sqsRecord } from './sqs-record';

const record = sqsRecord;

const event = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
const context = {} as Context;

/** A logger and metrics that keep what they were given, in order. */
function observers() {
  const lines: { level: string; message: string; fields: unknown }[] = [];
  const line = (level: string) => (message: string, fields?: unknown) => {
    lines.push({ level, message, fields });
  };
  const added: { name: string; value: number }[] = [];
  let flushes = 0;
  const logger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const metrics: PipelineMetrics<'load'> = {
    add: (name, value) => void added.push({ name, value }),
    flush: () => {
      flushes += 1;
    },
  };
  return { lines, added, flushes: () => flushes, logger: logger as unknown as PipelineLogger, metrics };
}

describe('stageHandler', () => {
  it('logs each piece of work, routine work at debug, and publishes its metrics once per invocation', async () => {
    const { lines, added, flushes, logger, metrics } = observers();
    const handler = stageHandler<'load'>(
      async (message, report) => {
        report({
          message: 'object loaded',
          fields: { key: message.body },
          metrics: { rows_inserted: 3, rows_skipped: 0 },
        });
        report({ message: 'object already-loaded', fields: { key: message.body }, routine: true });
      },
      { logger, metrics },
    );

    const response = await handler(event(record('1', 'a'), record('2', 'b')), context);

    expect(response.batchItemFailures).toEqual([]);
    expect(lines.map(({ level, message }) => `${level} ${message}`)).toEqual([
      'info object loaded',
      'debug object already-loaded',
      'info object loaded',
      'debug object already-loaded',
    ]);
    expect(added).toEqual([
      { name: 'rows_inserted', value: 3 },
      { name: 'rows_skipped', value: 0 },
      { name: 'rows_inserted', value: 3 },
      { name: 'rows_skipped', value: 0 },
    ]);
    expect(flushes()).toBe(1);
  });

  it('publishes nothing when no work reported a metric', async () => {
    const { flushes, logger, metrics } = observers();
    const handler = stageHandler<'load'>(async () => undefined, { logger, metrics });
    await handler(event(record('1', 'a')), context);
    expect(flushes()).toBe(0);
  });

  it('fails a message alone, counting it in the failure metric, and leaves the rest of a FIFO batch', async () => {
    const { lines, added, flushes, logger, metrics } = observers();
    const seen: string[] = [];
    const handler = stageHandler<'load'>(
      async (message) => {
        seen.push(message.messageId);
        if (message.body === 'bad') throw new PipelineError('cannot load', { retryable: false });
      },
      { logger, metrics, stopOnFailure: true, failureMetric: 'rows_skipped' },
    );

    const response = await handler(event(record('1', 'ok'), record('2', 'bad'), record('3', 'ok')), context);

    expect(seen).toEqual(['1', '2']);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: '2' }, { itemIdentifier: '3' }]);
    expect(added).toEqual([{ name: 'rows_skipped', value: 1 }]);
    expect(flushes()).toBe(1);
    expect(lines.filter(({ level }) => level === 'error').map(({ message }) => message)).toEqual([
      'message failed',
    ]);
  });
});
