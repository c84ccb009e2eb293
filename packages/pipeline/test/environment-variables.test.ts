import { describe, expect, it } from 'vitest';
import {
  envBoolean,
  environmentVariable,
  functionEnvironment,
  loaderEnvironment,
  reconcilerEnvironment,
  transformerEnvironment,
} from '../src/index';

describe('function environments', () => {
  it('are built with the names the stage reads, leaving out what is not set', () => {
    const environment = functionEnvironment(transformerEnvironment, {
      TARGET_TABLE: 'dim_staff',
      INGEST_BUCKET: 'prod-totes-ingest',
      PROCESSED_BUCKET: 'prod-totes-processed',
      PROCESSED_TOPIC_ARN: undefined,
    });
    expect(environment).toEqual({
      TARGET_TABLE: 'dim_staff',
      INGEST_BUCKET: 'prod-totes-ingest',
      PROCESSED_BUCKET: 'prod-totes-processed',
    });
    expect(transformerEnvironment.parse(environment).TRANSFORM_GENERATION).toBe(1);
  });

  it('name a variable set later as the stage reads it', () => {
    expect(environmentVariable(loaderEnvironment, 'WAREHOUSE_SECRET_ARN')).toBe('WAREHOUSE_SECRET_ARN');
  });

  it('read a flag as true or false, 1 or 0, with a default', () => {
    const flag = envBoolean(false);
    expect([
      flag.parse('true'),
      flag.parse('1'),
      flag.parse('false'),
      flag.parse('0'),
      flag.parse(undefined),
    ]).toEqual([true, true, false, false, false]);
    expect(flag.safeParse('yes').success).toBe(false);
  });

  it('refuse a transformer environment without its table', () => {
    expect(
      transformerEnvironment.safeParse({
        INGEST_BUCKET: 'prod-totes-ingest',
        PROCESSED_BUCKET: 'prod-totes-processed',
      }).success,
    ).toBe(false);
  });
});

describe('the reconciler’s environment', () => {
  const environment = {
    ENVIRONMENT: 'prod',
    AWS_REGION: 'eu-west-2',
    QUEUE_URL_PREFIX: 'https://sqs.eu-west-2.amazonaws.com/123456789012/',
    WAREHOUSE_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-2:123456789012:secret:warehouse',
  };

  it('names every resource from ENVIRONMENT', () => {
    const parsed = reconcilerEnvironment.parse(environment);
    expect(parsed.names.ingestBucket).toBe('prod-totes-ingest');
    expect(parsed.WAREHOUSE_STATEMENT_TIMEOUT_MS).toBe(60_000);
  });

  it('refuses a queue URL prefix without its closing slash, and an environment name no resource can take', () => {
    const issues = (input: Record<string, string>) =>
      (reconcilerEnvironment.safeParse(input).error?.issues ?? []).map((issue) => issue.path.join('.'));
    expect(issues({ ...environment, QUEUE_URL_PREFIX: 'https://sqs.eu-west-2.amazonaws.com/1' })).toEqual([
      'QUEUE_URL_PREFIX',
    ]);
    expect(issues({ ...environment, ENVIRONMENT: 'Prod Env!' })).toEqual(['ENVIRONMENT']);
  });

  it('needs exactly one way to the warehouse', () => {
    const both = { ...environment, WAREHOUSE_URL: 'postgresql://u:p@h/warehouse' };
    expect(reconcilerEnvironment.safeParse(both).success).toBe(false);
  });
});
