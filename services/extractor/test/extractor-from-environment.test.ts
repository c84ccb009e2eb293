import { captureOutput, coldStart, stubAwsEnvironment } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { keysOf, sourceRows, sqsRecord, useExtractorTestbed } from './extractor-testbed';

const entry = () => import('../src/handler');

describe('an extractor built from its environment at cold start', () => {
  const testbed = useExtractorTestbed();

  /** The environment infra gives the extractor, against this file's emulator. */
  function environment(totesysUrl: string, bucket: string) {
    const { names, queueUrl, provisioned } = testbed.pipeline();
    return {
      INGEST_BUCKET: bucket,
      EXTRACT_QUEUE_URL: queueUrl(names.queue('extract', 'staff')),
      INGEST_TOPIC_ARN: provisioned.topicArns.get(names.ingestTopic),
      TOTESYS_URL: totesysUrl,
      S3_FORCE_PATH_STYLE: 'true',
    };
  }

  it('extracts with its real clients and logs one JSON line, without the password', async () => {
    const totesys = await testbed.totesys({ scale: 0.005 });
    const store = await testbed.bucket();
    stubAwsEnvironment(testbed.pipeline().aws);
    const { handler } = await coldStart(entry, environment(totesys.url, store.bucket));
    const output = captureOutput();

    const response = await handler(
      { Records: [sqsRecord(JSON.stringify({ mode: 'incremental', table: 'staff' }))] },
      {} as never,
    );

    expect(response.batchItemFailures).toEqual([]);
    expect(await keysOf(store, 'staff/snapshots/')).toHaveLength(1);
    expect(output.lines()).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'extracted',
        service: 'extract-staff',
        rows: (await sourceRows(totesys.client, 'staff')).length,
      }),
    );
    expect(output.text()).not.toContain(new URL(totesys.url).password);
  });

  it('refuses a wrong or missing variable with a ConfigError naming each, not retryable, without the password', async () => {
    const failure = coldStart(entry, {
      INGEST_BUCKET: undefined,
      EXTRACT_QUEUE_URL: undefined,
      INGEST_TOPIC_ARN: undefined,
      TOTESYS_URL: 'postgresql://reader:Sw0rdfish@db:5432/totesys',
      TOTESYS_SECRET_ARN: undefined,
      SOURCE_TIME_ZONE: 'Europe/Leds',
    });

    await expect(failure).rejects.toMatchObject({
      name: 'ConfigError',
      retryable: false,
      message: expect.stringMatching(
        /INGEST_BUCKET[\s\S]*EXTRACT_QUEUE_URL[\s\S]*INGEST_TOPIC_ARN[\s\S]*SOURCE_TIME_ZONE/,
      ),
    });
    await expect(failure).rejects.not.toMatchObject({ message: expect.stringContaining('Sw0rdfish') });
  });

  it('wants exactly one way to totesys: a connection string or a secret', async () => {
    const store = await testbed.bucket();
    const failure = coldStart(entry, {
      ...environment('postgresql://reader:Sw0rdfish@db:5432/totesys', store.bucket),
      TOTESYS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:totesys',
    });

    await expect(failure).rejects.toMatchObject({
      name: 'ConfigError',
      message: expect.stringContaining('TOTESYS_URL: set exactly one of TOTESYS_URL and TOTESYS_SECRET_ARN'),
    });
  });
});
