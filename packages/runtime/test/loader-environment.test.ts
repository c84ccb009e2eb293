import { ConfigError, loaderEnvironment } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/index';

const env = {
  TARGET_TABLE: 'fact_sales_order',
  PROCESSED_BUCKET: 'prod-totes-processed',
  WAREHOUSE_URL: 'postgresql://loader:s3cret@warehouse.internal:5432/warehouse',
};

describe('the loader configuration', () => {
  it('reads the environment, with defaults for the retry policy and timeouts', () => {
    expect(loadConfig(loaderEnvironment, env)).toEqual({
      ...env,
      WAREHOUSE_STATEMENT_TIMEOUT_MS: 120_000,
      LOAD_RETRY_BASE_SECONDS: 10,
      LOAD_RETRY_MAX_SECONDS: 900,
      LOAD_MAX_RECEIVE_COUNT: 12,
      S3_FORCE_PATH_STYLE: false,
    });
  });

  it('names every wrong variable at once, without showing the connection string', () => {
    const reading = () =>
      loadConfig(loaderEnvironment, { TARGET_TABLE: 'customers', WAREHOUSE_URL: 'mysql://u:s3cret@h/db' });

    expect(reading).toThrow(ConfigError);
    expect(reading).toThrow(/TARGET_TABLE[\s\S]*PROCESSED_BUCKET[\s\S]*WAREHOUSE_URL/);
    expect(reading).not.toThrow(/s3cret/);
  });

  it('takes the warehouse connection from a Secrets Manager secret instead, and wants exactly one of the two', () => {
    const { WAREHOUSE_URL: _, ...withoutUrl } = env;
    const secretArn = 'arn:aws:secretsmanager:eu-west-2:1:secret:warehouse';
    expect(loadConfig(loaderEnvironment, { ...withoutUrl, WAREHOUSE_SECRET_ARN: secretArn })).toMatchObject({
      WAREHOUSE_SECRET_ARN: secretArn,
    });
    expect(() => loadConfig(loaderEnvironment, { ...env, WAREHOUSE_SECRET_ARN: secretArn })).toThrow(
      /exactly one of WAREHOUSE_URL and WAREHOUSE_SECRET_ARN/,
    );
    expect(() => loadConfig(loaderEnvironment, withoutUrl)).toThrow(/exactly one/);
  });
});
