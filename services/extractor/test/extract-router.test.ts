import { extractorDefaults, type SourceTableName } from '@totes/pipeline';
import type { PipelineLogger, PipelineMetrics } from '@totes/runtime';
import { cachedConnectionString } from '@totes/runtime/database';
import { describe, expect, it } from 'vitest';
import { createExtractRouter } from '../src/create-extract-router';
import { sqsRecord } from './extractor-testbed';

/** A router whose extractions fail before touching anything: every request here is malformed. */
function router() {
  const made: SourceTableName[] = [];
  const logged: { table: SourceTableName; message: string; details: unknown[] }[] = [];
  const loggerOf = (table: SourceTableName): PipelineLogger => {
    made.push(table);
    const line = (message: unknown, ...details: unknown[]) =>
      void logged.push({ table, message: String(message), details });
    return { debug: line, info: line, warn: line, error: line } as PipelineLogger;
  };
  const metricsOf = (): PipelineMetrics<'extract'> => ({ add: () => undefined, flush: () => undefined });
  const handler = createExtractRouter(extractorDefaults, {
    totesys: cachedConnectionString(async () => 'postgresql://nobody@127.0.0.1:1/none'),
    store: {} as never,
    queue: {} as never,
    logger: loggerOf,
    metrics: metricsOf,
  });
  return { handler, made, logged };
}

describe('the extractor of every table', () => {
  it("hands each request to its table's extraction, made at the table's first request and kept", async () => {
    const { handler, made, logged } = router();
    for (const id of ['a', 'b']) {
      const response = await handler(
        { Records: [sqsRecord(JSON.stringify({ table: 'staff', mode: 'nonsense' }), id)] },
        {} as never,
      );
      // Malformed: it fails, alone.
      expect(response.batchItemFailures).toEqual([{ itemIdentifier: id }]);
    }
    await handler(
      { Records: [sqsRecord(JSON.stringify({ table: 'payment', mode: 'nonsense' }), 'c')] },
      {} as never,
    );
    expect(made).toEqual(['staff', 'payment']);
    expect(new Set(logged.map((entry) => entry.table))).toEqual(new Set(['staff', 'payment']));
  });

  it('gives a message that names no source table to the first table, which refuses it as malformed', async () => {
    const { handler, made } = router();
    const response = await handler(
      {
        Records: [
          sqsRecord('not json', 'x'),
          sqsRecord(JSON.stringify({ table: '_prisma_migrations', mode: 'incremental' }), 'y'),
        ],
      },
      {} as never,
    );
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(['x', 'y']);
    expect(made).toEqual(['address']);
  });
});
