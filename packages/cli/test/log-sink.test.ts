import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileFailureLog } from '../src/stack/failure-log';
import { fileLogSink, logFilesOf } from '../src/stack/log-sink';

const directories: string[] = [];
async function logPath(): Promise<string> {
  const directory = await mkdtemp(join(tmpdir(), 'totes-log-'));
  directories.push(directory);
  return join(directory, 'logs', 'pipeline.log');
}
afterEach(async () => {
  for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
});

const entriesOf = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** An idle minute of a local stack, as its functions log it: asks that find nothing, one real load. */
function idleMinute(sink: ReturnType<typeof fileLogSink>): void {
  for (let ask = 0; ask < 30; ask += 1) {
    sink
      .logger('extract-staff')
      .debug('extracted', { table: 'staff', mode: 'incremental', rows: 0, objects: [] });
    sink.logger('load-dim_staff').debug('object already-loaded', { key: 'dim_staff/g1/x.parquet' });
  }
  sink.logger('extract-sales_order').info('extracted', { table: 'sales_order', rows: 2, objects: ['a'] });
  sink.logger('load-fact_sales_order').warn('message failed', { messageId: 'm-1', kind: 'waiting' });
}

describe('the local log sink', () => {
  it('writes no line for routine work that found nothing to do, and every line that did something', async () => {
    const path = await logPath();
    const sink = fileLogSink(path);

    idleMinute(sink);
    await sink.close();

    const entries = await entriesOf(path);
    expect(entries.filter((entry) => entry.rows === 0)).toEqual([]);
    expect(entries.map((entry) => [entry.level, entry.service, entry.message])).toEqual([
      ['INFO', 'extract-sales_order', 'extracted'],
      ['WARN', 'load-fact_sales_order', 'message failed'],
    ]);
  });

  it('writes the debug lines too when asked for them (LOG_LEVEL=DEBUG)', async () => {
    const path = await logPath();
    const sink = fileLogSink(path, { level: 'DEBUG' });

    idleMinute(sink);
    await sink.close();

    const entries = await entriesOf(path);
    expect(entries.filter((entry) => entry.level === 'DEBUG' && entry.rows === 0)).toHaveLength(30);
  });

  it('rotates the file past its size, keeping as many older files as asked, every line in one of them', async () => {
    const path = await logPath();
    const sink = fileLogSink(path, { maxBytes: 1000, keep: 2 });

    for (let line = 0; line < 60; line += 1) {
      sink.logger('load-dim_staff').info('object loaded', { line, key: `dim_staff/g1/${line}.parquet` });
    }
    await sink.close();

    expect(logFilesOf(path, 2)).toEqual([`${path}.2`, `${path}.1`, path]);
    const files = await Promise.all(logFilesOf(path, 2).map(entriesOf));
    for (const file of logFilesOf(path, 2)) {
      expect((await readFile(file)).length).toBeLessThanOrEqual(1000);
    }
    const lines = files.flat().map((entry) => entry.line as number);
    // The oldest lines went with the file rotated out; the rest are there, in order.
    expect(lines).toEqual(lines.toSorted((a, b) => a - b));
    expect(lines.at(-1)).toBe(59);
    expect(lines.length).toBeLessThan(60);
  });

  it("keeps a message's failures across a rotation, for the DLQ listing", async () => {
    const path = await logPath();
    const sink = fileLogSink(path, { maxBytes: 600 });
    const failed = {
      messageId: 'm-1',
      kind: 'waiting',
      error: { name: 'MissingDimensionError', message: 'x' },
    };

    sink.logger('load-fact_sales_order').warn('message failed', failed);
    for (let line = 0; line < 5; line += 1) sink.logger('load-dim_staff').info('object loaded', { line });
    sink.logger('load-fact_sales_order').error('message failed', { ...failed, deadLetter: true });
    await sink.close();

    expect(logFilesOf(path).length).toBeGreaterThan(1);
    const failures = await fileFailureLog(path).failuresOf(
      { stage: 'load', table: 'fact_sales_order' } as never,
      [{ messageId: 'm-1' }],
    );
    expect(failures.get('m-1')).toEqual({ failures: 2, last: 'MissingDimensionError: x' });
  });
});

describe('the local log sink’s metrics', () => {
  it('writes one METRIC line per flush, counts summed and durations as the latest, named by the stage', async () => {
    const path = await logPath();
    const sink = fileLogSink(path);
    const metrics = sink.metrics('load', 'fact_payment');
    metrics.add('rows_inserted', 2);
    metrics.add('rows_inserted', 3);
    metrics.add('freshness_seconds', 5);
    metrics.add('freshness_seconds', 4);
    metrics.flush();
    metrics.flush();
    await sink.close();
    expect(await entriesOf(path)).toEqual([
      expect.objectContaining({
        level: 'METRIC',
        service: 'load-fact_payment',
        table: 'fact_payment',
        rows_inserted: 5,
        freshness_seconds: 4,
      }),
    ]);
  });

  it('writes a count by stage in a METRIC line of its own, with the stage, and none for a zero', async () => {
    const path = await logPath();
    const sink = fileLogSink(path);
    const metrics = sink.metrics('reconcile');
    metrics.addForStage('dead_letters', 'extract', 1);
    metrics.addForStage('dead_letters', 'extract', 2);
    metrics.addForStage('dead_letters', 'load', 0);
    metrics.flush();
    metrics.flush();
    await sink.close();
    expect(await entriesOf(path)).toEqual([
      expect.objectContaining({ level: 'METRIC', service: 'reconcile', stage: 'extract', dead_letters: 3 }),
    ]);
  });
});
