import { type ExtractorEnvironment, serviceName, stageSettings } from '@totes/pipeline';
import {
  createAwsClients,
  createLogger,
  createMetrics,
  retryPolicyOf,
  type SqsHandler,
  s3ObjectStore,
  snsObjectAnnouncer,
  sqsMessageVisibility,
} from '@totes/runtime';
import { databaseConnectionString } from '@totes/runtime/database';
import { createExtractRouter } from './create-extract-router';
import { sqsExtractQueue } from './sqs-extract-queue';

/**
 * The extractor of every table with its real parts.
 *
 * S3, SQS and SNS clients come from the SDK's settings, with the JSON logger and CloudWatch (EMF)
 * metrics; the totesys secret, when used, is fetched at the first request (and again when
 * totesys refuses the login). The Lambda entry calls it with the parsed environment.
 */
export function extractorFromEnvironment(env: ExtractorEnvironment): SqsHandler {
  const { ingestBucket, extractQueueUrl, ingestTopicArn, source, forcePathStyle, ...settings } = env;
  const { s3, sqs, sns } = createAwsClients({ forcePathStyle });
  return createExtractRouter(settings, {
    totesys: databaseConnectionString(
      'url' in source ? { url: source.url } : { secretArn: source.secretArn },
    ),
    store: s3ObjectStore(s3, ingestBucket),
    queue: sqsExtractQueue(sqs, extractQueueUrl),
    announcer: snsObjectAnnouncer({ s3, sns, topicArn: ingestTopicArn }),
    // A table's own logger and metrics, made at its first request (`createExtractRouter`).
    logger: (table) => createLogger(serviceName('extract', table)),
    metrics: (table) => createMetrics('extract', table),
    retry: { policy: retryPolicyOf(stageSettings.extract), visibility: sqsMessageVisibility(sqs) },
  });
}
