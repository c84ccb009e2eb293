import { ingestKey, type TargetTableName, transformerEnvironment } from '@totes/pipeline';
import { loadConfig } from '@totes/runtime';
import { useTestPipeline } from '@totes/test-harness';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { transformerFromEnvironment } from '../src/transformer-from-environment';
import { readWithDuckDb } from './duckdb-parquet';
import { jsonLines, totesys } from './fixtures';
import { transformDriver } from './transform-driver';

const pipeline = useTestPipeline();
const driver = transformDriver(pipeline);
const saved = { ...process.env };

beforeAll(() => {
  const { aws, names } = pipeline();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: aws.region,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    INGEST_BUCKET: names.ingestBucket,
    PROCESSED_BUCKET: names.processedBucket,
    S3_FORCE_PATH_STYLE: 'true',
    TRANSFORM_GENERATION: '3',
    TARGET_TABLE: 'dim_payment_type',
  });
});

afterAll(() => {
  process.env = saved;
});

/**
 * Runs `work` and returns the CloudWatch embedded-metric lines the handler wrote to stdout, which
 * is where a Lambda function's metrics go; they are kept out of the test output.
 */
async function metricLines(work: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: Record<string, unknown>[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk, ...rest) => {
    const text = String(chunk);
    if (!text.startsWith('{"_aws"')) return write(chunk, ...(rest as []));
    for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

/** The transformer of `target`, configured from the environment as at a cold start. */
function transformerOf(target: TargetTableName) {
  return transformerFromEnvironment(
    loadConfig(transformerEnvironment, { ...process.env, TARGET_TABLE: target }),
  );
}

describe('the deployed entry points, configured from the environment', () => {
  it('transforms with the transformer of its TARGET_TABLE, writing the configured generation', async () => {
    const key = ingestKey({
      kind: 'changes',
      table: 'sales_order',
      after: null,
      through: { lastUpdated: '2024-01-01 00:00:00.000', id: 3 },
    });
    const object = await driver.put(key, jsonLines(totesys.sales_order));
    const metrics = await metricLines(async () => {
      const response = await transformerOf('fact_sales_order')(
        driver.event(driver.envelope(object)),
        {} as never,
      );
      expect(response).toEqual({ batchItemFailures: [] });
    });
    expect(metrics).toEqual([
      expect.objectContaining({
        service: 'transform-fact_sales_order',
        table: 'fact_sales_order',
        rows_in: 2,
        rows_out: 2,
      }),
      // The stage-wide count of quarantined rows, which the transform stage's one alarm reads.
      expect.objectContaining({ service: 'transform', rows_quarantined: 0 }),
    ]);
    const [output] = await driver.processedKeys('fact_sales_order/g3/');
    expect(
      (await readWithDuckDb((await driver.processed(output as string)) as Uint8Array)).rows,
    ).toHaveLength(2);
  });

  it('reads its environment once, when the Lambda entry is loaded, and transforms for its TARGET_TABLE', async () => {
    const { handler } = await import('../src/handler');
    const key = ingestKey({
      kind: 'snapshot',
      table: 'payment_type',
      takenAt: '20241104T091502345',
      hash: '0123456789abcdef',
    });
    const object = await driver.put(key, jsonLines(totesys.payment_type));
    const metrics = await metricLines(async () => {
      expect(await handler(driver.event(driver.envelope(object)), {} as never)).toEqual({
        batchItemFailures: [],
      });
    });
    expect(metrics).toEqual([
      expect.objectContaining({ service: 'transform-dim_payment_type' }),
      expect.objectContaining({ service: 'transform', rows_quarantined: 0 }),
    ]);
    expect(await driver.processedKeys('dim_payment_type/')).toEqual([
      'dim_payment_type/g3/payment_type=20241104T091502345-0123456789abcdef.parquet',
    ]);
  });

  it('writes the calendar as the dim_date transformer', async () => {
    expect(
      await transformerOf('dim_date')({ from: '2024-01-01', to: '2024-01-31' }, {} as never),
    ).toMatchObject({
      status: 'written',
      outputKey: 'dim_date/g3/calendar/20240101-20240131.parquet',
      rowsOut: 31,
    });
  });
});
