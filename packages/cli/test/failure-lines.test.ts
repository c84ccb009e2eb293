import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failurePattern, logGroupOf } from '../src/stack/cloud-watch-failure-log';
import { failureLine, failureRecords, fileFailureLog } from '../src/stack/failure-log';
import { formatLogEntry } from '../src/stack/format-log-entry';

const failed = (messageId: string, error?: { name?: string; message?: string }) =>
  JSON.stringify({ level: 'ERROR', message: 'message failed', messageId, ...(error ? { error } : {}) });

describe('a "message failed" line of a function', () => {
  it('gives the message id and the error as Name: message', () => {
    expect(
      failureLine(failed('m-1', { name: 'MissingDimensionError', message: 'dim_staff 7 is not loaded' })),
    ).toEqual({
      messageId: 'm-1',
      error: 'MissingDimensionError: dim_staff 7 is not loaded',
    });
  });

  it('is read after the prefix Lambda puts before what the function wrote', () => {
    const line = `2024-11-04T09:15:00.000Z\tc0ffee\tERROR\t${failed('m-2', { message: 'boom' })}`;
    expect(failureLine(line)).toEqual({ messageId: 'm-2', error: 'Error: boom' });
  });

  it('says so when the error has no message', () => {
    expect(failureLine(failed('m-3'))?.error).toBe('Error: (no message)');
  });

  it.each([
    ['a line of another message', JSON.stringify({ message: 'loaded', messageId: 'm' })],
    ['a line without JSON', 'message failed, but not as JSON'],
    ['a line cut short by a crash', failed('m-4').slice(0, 30)],
    ['a line that only mentions the words', JSON.stringify({ message: 'ok', note: 'message failed' })],
    ['a failure without a message id', JSON.stringify({ message: 'message failed', messageId: 4 })],
  ])('is nothing for %s', (_, line) => {
    expect(failureLine(line)).toBeUndefined();
  });

  it('are counted by message id, the last error kept', () => {
    const records = failureRecords([
      failed('a', { name: 'E1', message: 'first' }),
      'noise',
      failed('b', { name: 'E', message: 'only' }),
      failed('a', { name: 'E2', message: 'second' }),
    ]);
    expect(Object.fromEntries(records)).toEqual({
      a: { failures: 2, last: 'E2: second' },
      b: { failures: 1, last: 'E: only' },
    });
  });
});

describe('the failure log of the local stack', () => {
  let dir: string;
  const queue = pipelineResources(resourceNames('local')).queues[0];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-failure-log-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the rotated files, oldest first, then the log, and answers only for the messages asked about', async () => {
    const path = join(dir, 'pipeline.log');
    await writeFile(`${path}.2`, `${failed('a', { name: 'Old', message: 'oldest' })}\n`);
    await writeFile(`${path}.1`, `${failed('a', { name: 'Mid', message: 'middle' })}\n${failed('c')}\n`);
    await writeFile(path, `${failed('a', { name: 'New', message: 'newest' })}\n{"message":"loaded"}\n`);
    const log = fileFailureLog(path);
    expect(log.source).toBe(`the log file ${path}`);
    if (!queue) throw new Error('the topology has no queue');
    const found = await log.failuresOf(queue, [{ messageId: 'a' }, { messageId: 'z' }]);
    expect(Object.fromEntries(found)).toEqual({ a: { failures: 3, last: 'New: newest' } });
  });

  it('holds no failures when there is no log file', async () => {
    if (!queue) throw new Error('the topology has no queue');
    const found = await fileFailureLog(join(dir, 'absent.log')).failuresOf(queue, [{ messageId: 'a' }]);
    expect(found.size).toBe(0);
  });
});

describe('failures in CloudWatch Logs', () => {
  it('are in the log group Lambda names after the function', () => {
    expect(logGroupOf('prod-totes-load-dim_staff')).toBe('/aws/lambda/prod-totes-load-dim_staff');
  });

  it('are found with a JSON filter pattern for the message ids asked about', () => {
    expect(failurePattern(['id-1', 'id-2'])).toBe(
      '{ $.message = "message failed" && ($.messageId = "id-1" || $.messageId = "id-2") }',
    );
  });
});

describe('a log entry for people', () => {
  const entry = {
    timestamp: '2024-11-04T09:15:00.000Z',
    level: 'WARN',
    service: 'load-fact_sales_order',
    message: 'waiting for dimensions',
  };

  it('shows the time, level, service and message, then the error and the other fields', () => {
    const line = formatLogEntry(
      {
        ...entry,
        table: 'fact_sales_order',
        rows: 3,
        skipped: null,
        error: { name: 'MissingDimensionError', message: 'dim_staff 7' },
        key: 'sales_order/x',
      },
      200,
    );
    expect(line).toMatch(
      /^\d{2}:\d{2}:\d{2} WARN {2}load-fact_sales_order waiting for dimensions error=MissingDimensionError: dim_staff 7 rows=3 key=sales_order\/x$/,
    );
  });

  it('names a table its service does not name, and shows errors without a name and other values as JSON', () => {
    const line = formatLogEntry(
      {
        timestamp: entry.timestamp,
        level: entry.level,
        service: 'scheduler',
        table: 'staff',
        error: { message: 'gone' },
        ids: [1, 2],
      },
      200,
    );
    expect(line).toMatch(/ scheduler {2}error=gone table=staff ids=\[1,2\]$/);
    expect(formatLogEntry({ ...entry, error: 'plain text' })).toContain('error=plain text');
  });

  it('keeps a timestamp it cannot read as it is, and puts a multi-line message on one line', () => {
    const line = formatLogEntry({ ...entry, timestamp: 'not a time', message: 'two\nlines' });
    expect(line).toBe('not a time WARN  load-fact_sales_order two lines');
  });

  it('cuts what does not fit the width', () => {
    const line = formatLogEntry({ ...entry, key: 'k'.repeat(200) }, 60);
    expect(line).toHaveLength(60);
    expect(line.endsWith('…')).toBe(true);
  });
});
