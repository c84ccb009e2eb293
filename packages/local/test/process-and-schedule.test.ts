import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { type ExtractRequest, sourceTableNames } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, isProcessAlive, startExtractScheduler } from '../src/index';

describe('whether a process is alive', () => {
  it('is false for a pid no process can have', () => {
    expect(isProcessAlive(0)).toBe(false);
    expect(isProcessAlive(-5)).toBe(false);
    expect(isProcessAlive(1.5)).toBe(false);
    expect(isProcessAlive(Number.NaN)).toBe(false);
  });

  it('is false for this process: a pid recorded by another process and reused for this one is stale', () => {
    expect(isProcessAlive(process.pid)).toBe(false);
  });

  it('is true while a child runs, and false once it has exited', async () => {
    const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    await once(child, 'spawn');
    const pid = child.pid ?? 0;
    expect(isProcessAlive(pid)).toBe(true);
    child.stdin.end();
    await once(child, 'exit');
    expect(isProcessAlive(pid)).toBe(false);
  });
});

describe('the extract scheduler', () => {
  it('asks every table for its changes and every event table for a sweep at once, then stops', async () => {
    const sent: ExtractRequest[] = [];
    const at = new Date('2024-11-04T09:15:02.345Z');
    const scheduler = startExtractScheduler({
      tables: sourceTableNames,
      send: async (request) => {
        sent.push(request);
      },
      incrementalSeconds: 3600,
      sweepSeconds: 3600,
      now: () => at,
    });
    scheduler.stop();
    expect(sent.filter((request) => request.mode === 'incremental')).toHaveLength(sourceTableNames.length);
    expect(
      sent
        .filter((request) => request.mode === 'sweep')
        .map((request) => request.table)
        .sort(),
    ).toEqual(['payment', 'purchase_order', 'sales_order', 'transaction']);
  });

  it('hands a request it could not send to onError, and goes on with the others', async () => {
    const errors: unknown[] = [];
    const sent: string[] = [];
    const scheduler = startExtractScheduler({
      tables: ['staff', 'sales_order'],
      send: async (request) => {
        if (request.table === 'staff') throw new Error('queue gone');
        sent.push(`${request.mode} ${request.table}`);
      },
      incrementalSeconds: 3600,
      sweepSeconds: 3600,
      onError: (error) => errors.push(error),
    });
    scheduler.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual(['incremental sales_order', 'sweep sales_order']);
    expect(errors).toEqual([new Error('queue gone')]);
  });
});

describe('an error of the embedded PostgreSQL', () => {
  it('names its data directory and keeps what caused it', () => {
    const cause = new Error('port in use');
    const error = new EmbeddedPostgresError('/data/pg', 'could not start', { cause });
    expect(error).toMatchObject({
      name: 'EmbeddedPostgresError',
      dataDir: '/data/pg',
      message: 'could not start',
      cause,
    });
    expect(new EmbeddedPostgresError('/data/pg', 'x').cause).toBeUndefined();
  });
});
