import { describe, expect, it } from 'vitest';
import {
  envBoolean,
  environmentVariable,
  functionEnvironment,
  loaderEnvironment,
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
