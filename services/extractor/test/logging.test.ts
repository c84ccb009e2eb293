import { describe, expect, it } from 'vitest';
import { recordingLogger, useExtractorTestbed } from './extractor-testbed';

describe('what the extractor logs', () => {
  const testbed = useExtractorTestbed();

  it('one line per request: rows, objects, watermarks before and after, duration; a debug line when it found nothing', async () => {
    const totesys = await testbed.totesys({ scale: 0.005 });
    const store = await testbed.bucket();
    const logger = recordingLogger();
    const extract = testbed.handler(totesys, store, { table: 'transaction', chunkRows: 40 }, { logger });

    await extract(
      { mode: 'incremental', table: 'transaction' },
      { mode: 'incremental', table: 'transaction' },
    );

    expect(logger.lines.map((line) => [line.level, line.message])).toEqual([
      ['info', 'extracted'],
      ['debug', 'extracted'],
    ]);
    const [first, second] = logger.lines.map((line) => line.fields);
    expect(first).toMatchObject({
      table: 'transaction',
      mode: 'incremental',
      rows: expect.any(Number),
      objects: expect.arrayContaining([expect.stringMatching(/^transaction\/initial\//)]),
      existingObjects: [],
      watermarkBefore: null,
      watermarkAfter: expect.stringMatching(/^\d{8}T\d{9}-0{10}$/),
      initial: { horizon: expect.any(String), afterIdBefore: 0, afterIdAfter: expect.any(Number) },
      continuation: null,
      durationMs: expect.any(Number),
    });
    expect(second).toMatchObject({ rows: 0, objects: [], watermarkBefore: first?.watermarkAfter });
  });

  it('never logs the connection password, even when the connection fails', async () => {
    const totesys = await testbed.totesys();
    const store = await testbed.bucket();
    const logger = recordingLogger();
    const wrong = new URL(totesys.url);
    wrong.password = 'Sw0rdfish-never-logged';
    const extract = testbed.handler(
      { ...totesys, url: wrong.toString() },
      store,
      { table: 'staff' },
      { logger },
    );

    const response = await extract({ mode: 'incremental', table: 'staff' });

    expect(response.batchItemFailures).toHaveLength(1);
    expect(logger.lines.some((line) => line.level === 'error')).toBe(true);
    expect(JSON.stringify(logger.lines)).not.toContain('Sw0rdfish');
    expect(JSON.stringify(logger.lines)).not.toContain(new URL(totesys.url).password);
  });
});
