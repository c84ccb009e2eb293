import { metricNamespace, s3Event } from '@totes/pipeline';
import { captureOutput, coldStart, stubAwsEnvironment, useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { announceObject } from './announce-object';
import { fixtureRows } from './fixture-rows';
import { objectKey } from './object-key';
import { processedObject } from './processed-object';
import { queueDriver } from './queue-driver';
import { useWarehouse } from './use-warehouse';

const pipeline = useTestPipeline();
const warehouse = useWarehouse();
const entry = () => import('../src/handler');

/** Writes an object into the processed bucket and announces it (see announceObject). */
const announce = (key: string, bytes: Uint8Array) => announceObject(pipeline(), key, bytes);

describe('a loader built from its environment at cold start', () => {
  it('loads an announced object with its real clients, logs and emits its metrics, without the password', async () => {
    const { clients, names, aws, queueUrl } = pipeline();
    stubAwsEnvironment(aws);
    const { handler } = await coldStart(entry, {
      TARGET_TABLE: 'dim_currency',
      PROCESSED_BUCKET: names.processedBucket,
      WAREHOUSE_URL: warehouse().url,
      S3_FORCE_PATH_STYLE: 'true',
    });
    const output = captureOutput();
    await announce(objectKey('dim_currency'), processedObject('dim_currency', fixtureRows('dim_currency')));

    await queueDriver(
      clients.sqs,
      queueUrl(names.queue('load', 'dim_currency')),
      handler,
      aws.region,
    ).drain();

    expect(await warehouse().rows('dim_currency')).toEqual(fixtureRows('dim_currency'));
    const lines = output.lines();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'object loaded', service: 'load-dim_currency' }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: metricNamespace })],
        }),
        rows_inserted: 3,
      }),
    );
    expect(output.text()).not.toContain(new URL(warehouse().url).password);
  });

  it('refuses a wrong or missing variable with a ConfigError naming each, not retryable, without the password', async () => {
    const failure = coldStart(entry, {
      TARGET_TABLE: 'sales_order',
      PROCESSED_BUCKET: undefined,
      WAREHOUSE_URL: 'mysql://loader:Sw0rdfish@warehouse/db',
      WAREHOUSE_SECRET_ARN: undefined,
      LOAD_MAX_RECEIVE_COUNT: 'twelve',
    });

    await expect(failure).rejects.toMatchObject({
      name: 'ConfigError',
      retryable: false,
      message: expect.stringMatching(
        /TARGET_TABLE: not a warehouse table[\s\S]*PROCESSED_BUCKET[\s\S]*WAREHOUSE_URL[\s\S]*LOAD_MAX_RECEIVE_COUNT/,
      ),
    });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('Sw0rdfish') });
  });
});
