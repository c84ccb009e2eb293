import { type LoaderEnvironment, serviceName } from '@totes/pipeline';
import {
  createAwsClients,
  createLogger,
  createMetrics,
  type SqsHandler,
  s3ObjectStore,
  sqsMessageVisibility,
} from '@totes/runtime';
import { connectWithCachedSecret, databaseConnectionString } from '@totes/runtime/database';
import { createLoadHandler } from './create-load-handler';

/**
 * The loader of `config.TARGET_TABLE` with its real parts.
 *
 * S3 and SQS clients from the SDK's settings, a PostgreSQL connection per invocation, the JSON
 * logger and CloudWatch (EMF) metrics. The Lambda entry calls it with the parsed environment; the
 * local stack calls it once per table.
 */
export function loaderFromEnvironment(config: LoaderEnvironment): SqsHandler {
  const table = config.TARGET_TABLE;
  const service = serviceName('load', table);
  const { s3, sqs } = createAwsClients({ forcePathStyle: config.S3_FORCE_PATH_STYLE });
  const warehouseUrl = databaseConnectionString({
    url: config.WAREHOUSE_URL,
    secretArn: config.WAREHOUSE_SECRET_ARN,
  });
  return createLoadHandler({
    table,
    store: s3ObjectStore(s3, config.PROCESSED_BUCKET),
    // A refused password may be a rotated secret: it is read again, and tried once more.
    connect: () =>
      connectWithCachedSecret(warehouseUrl, {
        statementTimeoutMs: config.WAREHOUSE_STATEMENT_TIMEOUT_MS,
        applicationName: `totes-${service}`,
      }),
    visibility: sqsMessageVisibility(sqs),
    retry: {
      baseSeconds: config.LOAD_RETRY_BASE_SECONDS,
      maxSeconds: config.LOAD_RETRY_MAX_SECONDS,
      maxReceiveCount: config.LOAD_MAX_RECEIVE_COUNT,
    },
    logger: createLogger(service),
    metrics: createMetrics('load', table),
  });
}
