import { type ReconcilerEnvironment, serviceName } from '@totes/pipeline';
import {
  createAwsClients,
  createLogger,
  createMetrics,
  s3ObjectListing,
  sqsEventQueue,
  sqsQueueDepth,
} from '@totes/runtime';
import {
  connectWithCachedSecret,
  databaseConnectionString,
  postgresLedgerQuery,
} from '@totes/runtime/database';
import { createReconcileHandler, type ReconcileOutcome } from './create-reconcile-handler';

/**
 * The reconciler with its real parts.
 *
 * S3 and SQS clients from the SDK's settings, a warehouse connection per run (the secret read at
 * the first and again when a login is refused), the JSON logger and CloudWatch (EMF) metrics. The
 * Lambda entry calls it with the parsed environment.
 */
export function reconcilerFromEnvironment(config: ReconcilerEnvironment): () => Promise<ReconcileOutcome> {
  const { s3, sqs } = createAwsClients({ forcePathStyle: config.S3_FORCE_PATH_STYLE });
  const warehouseUrl = databaseConnectionString({
    url: config.WAREHOUSE_URL,
    secretArn: config.WAREHOUSE_SECRET_ARN,
  });
  return createReconcileHandler({
    names: config.names,
    region: config.AWS_REGION,
    listing: s3ObjectListing(s3),
    ledger: async () => {
      const client = await connectWithCachedSecret(warehouseUrl, {
        statementTimeoutMs: config.WAREHOUSE_STATEMENT_TIMEOUT_MS,
        applicationName: 'totes-reconcile',
      });
      return { ledger: postgresLedgerQuery(client), close: () => client.end() };
    },
    queues: sqsEventQueue(sqs, (queue) => `${config.QUEUE_URL_PREFIX}${queue}`),
    depth: sqsQueueDepth(sqs, (queue) => `${config.QUEUE_URL_PREFIX}${queue}`),
    logger: createLogger(serviceName('reconcile')),
    metrics: createMetrics('reconcile'),
  });
}
