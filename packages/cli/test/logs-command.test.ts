import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatLogEntry } from '../src/stack/format-log-entry';
import { parseLogEntry } from '../src/stack/log-entry';
import { fileLogSink, type LogSink, logFilesOf, pipelineLogPath } from '../src/stack/log-sink';
import { runTotes } from './run-totes';

const directories: string[] = [];
async function dataDir(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'totes-logs-'));
  directories.push(directory);
  return directory;
}
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

const missingDimension = {
  name: 'MissingDimensionError',
  message: 'fact_sales_order waits for dim_staff rows 7, 9: they load first, and this object is retried',
};

/** What a local stack's functions log in a few seconds, through the real sink. */
function someWork(log: LogSink): void {
  log.logger('local-stack').info('local stack started', { command: 'up', functions: 33 });
  log.logger('extract-sales_order').info('extracted', { table: 'sales_order', mode: 'incremental', rows: 3 });
  log.logger('load-fact_sales_order').warn('message failed', {
    messageId: 'm-1',
    receiveCount: 1,
    kind: 'waiting',
    retryInSeconds: 1,
    error: missingDimension,
  });
  log.logger('load-dim_staff').info('object loaded', { table: 'dim_staff', key: 'dim_staff/g1/a.parquet' });
  log
    .logger('load-fact_sales_order')
    .error('message failed', { messageId: 'm-2', deadLetter: true, error: missingDimension });
}

describe('totes logs', () => {
  it('prints every entry of the log as one line of at most 80 characters: time, level, service, message, details', async () => {
    const directory = await dataDir();
    const log = fileLogSink(pipelineLogPath(directory));
    someWork(log);
    await log.close();

    const run = await runTotes(['logs', '--data-dir', directory]);

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[2]).toMatch(
      /^\d\d:\d\d:\d\d WARN {2}load-fact_sales_order message failed error=MissingDimensionError…$/,
    );
  });

  it('keeps the lines of one table, one stage, at or above one level; --json gives them as written', async () => {
    const directory = await dataDir();
    const log = fileLogSink(pipelineLogPath(directory), { maxBytes: 400 });
    someWork(log);
    await log.close();

    const warnings = await runTotes([
      'logs',
      '--data-dir',
      directory,
      '--table',
      'fact_sales_order',
      '--level',
      'warn',
    ]);
    const loads = await runTotes(['logs', '--data-dir', directory, '--stage', 'load', '--json']);

    expect(
      warnings.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.slice(9, 36)),
    ).toEqual(['WARN  load-fact_sales_order', 'ERROR load-fact_sales_order']);
    const entries = loads.stdout.trimEnd().split('\n').map(parseLogEntry);
    expect(entries.map((entry) => [entry?.service, entry?.message])).toEqual([
      ['load-fact_sales_order', 'message failed'],
      ['load-dim_staff', 'object loaded'],
      ['load-fact_sales_order', 'message failed'],
    ]);
    expect(entries[0]?.error).toEqual(missingDimension);
  });

  it('refuses a table that is not in the topology', async () => {
    const run = await runTotes(['logs', '--data-dir', await dataDir(), '--table', 'fact_nothing']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('expected a source or warehouse table of the topology');
  });

  it('with --follow, prints the lines written afterwards, across a rotation, until Ctrl-C', async () => {
    const directory = await dataDir();
    const log = fileLogSink(pipelineLogPath(directory), { maxBytes: 600 });
    log.logger('local-stack').info('local stack started', { command: 'up' });
    const bin = fileURLToPath(new URL('../bin/totes.mjs', import.meta.url));
    const follower = spawn(process.execPath, [bin, 'logs', '--data-dir', directory, '--follow', '--json']);
    let stdout = '';
    follower.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    const printed = async (count: number) => {
      // Up to 90 s: on a busy machine the command's start-up alone (tsx, coverage) can take many.
      for (let wait = 0; wait < 1800 && stdout.split('\n').length - 1 < count; wait += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return stdout.trimEnd().split('\n');
    };

    expect(await printed(1)).toHaveLength(1);
    for (let line = 0; line < 12; line += 1) log.logger('load-dim_staff').info('object loaded', { line });
    const lines = await printed(13);
    follower.kill('SIGINT');
    const code = await new Promise((resolve) => follower.on('exit', resolve));
    await log.close();

    expect(lines.slice(1).map((line) => parseLogEntry(line)?.line)).toEqual([...Array(12).keys()]);
    expect(code).toBe(0);
    expect(logFilesOf(pipelineLogPath(directory)).length).toBeGreaterThan(2);
  }, 240_000);
});

describe('a log entry for people', () => {
  it('cuts what does not fit, and shows the error first', () => {
    const line = formatLogEntry(
      {
        timestamp: '2024-11-04T09:15:00.000Z',
        level: 'ERROR',
        service: 'load-fact_sales_order',
        message: 'message failed',
        messageId: 'm-2',
        error: missingDimension,
      },
      80,
    );

    expect(line).toHaveLength(80);
    expect(line).toMatch(/^\d\d:\d\d:\d\d ERROR load-fact_sales_order message failed error=Missing.*…$/);
  });
});
