import { ConfigError, extractorEnvironment } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index';

const env = {
  INGEST_BUCKET: 'prod-totes-ingest',
  EXTRACT_QUEUE_URL: 'https://sqs.eu-west-2.amazonaws.com/1/prod-extract.fifo',
  INGEST_TOPIC_ARN: 'arn:aws:sns:eu-west-2:1:prod-totes-ingest-events',
  TOTESYS_URL: 'postgresql://reader:secret@db:5432/totesys',
};

describe('extractorEnvironment', () => {
  it('reads the configuration with its defaults', () => {
    // No table: the one extractor serves every table, each request naming its own.
    expect(loadConfig(extractorEnvironment, env)).toEqual({
      ingestBucket: 'prod-totes-ingest',
      extractQueueUrl: env.EXTRACT_QUEUE_URL,
      ingestTopicArn: env.INGEST_TOPIC_ARN,
      source: { url: env.TOTESYS_URL },
      forcePathStyle: false,
      ingestCompression: 'zstd',
      chunkRows: 50_000,
      queryRows: 1_000_000,
      timeBudgetMs: 240_000,
      statementTimeoutMs: 120_000,
      sweepBucketRows: 1_000,
      commitMarginMs: 5_000,
      hiddenSessionsLagMs: 300_000,
      sourceTimeZone: 'UTC',
    });
  });

  it('reads tuning and the secret ARN from the environment', () => {
    const { TOTESYS_URL: _, ...withoutUrl } = env;
    const config = loadConfig(extractorEnvironment, {
      ...withoutUrl,
      TOTESYS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:totesys',
      CHUNK_ROWS: '1000',
      TIME_BUDGET_SECONDS: '30',
      S3_FORCE_PATH_STYLE: 'true',
      INGEST_COMPRESSION: 'gzip',
    });

    expect(config).toMatchObject({
      source: { secretArn: 'arn:aws:secretsmanager:eu-west-2:1:secret:totesys' },
      chunkRows: 1000,
      timeBudgetMs: 30_000,
      forcePathStyle: true,
      ingestCompression: 'gzip',
    });
  });

  it('names every problem at once', () => {
    const { TOTESYS_URL: _, ...withoutUrl } = env;

    const load = () =>
      loadConfig(extractorEnvironment, {
        ...withoutUrl,
        CHUNK_ROWS: '0',
        INGEST_COMPRESSION: 'brotli',
        SOURCE_TIME_ZONE: 'Europe/Leds',
      });

    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/CHUNK_ROWS[\s\S]*SOURCE_TIME_ZONE: not an IANA time zone[\s\S]*INGEST_COMPRESSION/);
  });

  it('wants exactly one of a URL and a secret', () => {
    const both = { ...env, TOTESYS_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:1:secret:totesys' };
    const { TOTESYS_URL: _, ...neither } = env;

    expect(() => loadConfig(extractorEnvironment, both)).toThrow(
      /exactly one of TOTESYS_URL and TOTESYS_SECRET_ARN/,
    );
    expect(() => loadConfig(extractorEnvironment, neither)).toThrow(/exactly one/);
  });
});
