import { serviceName, stageSettings, type TransformerEnvironment } from '@totes/pipeline';
import {
  createAwsClients,
  createLogger,
  createMetrics,
  retryPolicyOf,
  s3ObjectStore,
  snsObjectAnnouncer,
  sqsMessageVisibility,
} from '@totes/runtime';
import type { Context, SQSEvent } from 'aws-lambda';
import { type CalendarRequest, calendarHandler } from './calendar-handler';
import { createTransformHandler } from './create-transform-handler';

/** A transformer function's handler: SQS batches of ingest objects, or a calendar request for dim_date. */
export type TransformerFunction = (
  event: SQSEvent | CalendarRequest | undefined,
  context: Context,
) => Promise<unknown>;

/**
 * The transformer of `env.TARGET_TABLE` with its real parts.
 *
 * S3, SQS and SNS clients from the SDK's settings, the JSON logger and CloudWatch (EMF) metrics.
 * The Lambda entry calls it with the parsed environment.
 */
export function transformerFromEnvironment(env: TransformerEnvironment): TransformerFunction {
  const target = env.TARGET_TABLE;
  const { s3, sqs, sns } = createAwsClients({ forcePathStyle: env.S3_FORCE_PATH_STYLE });
  const stores = {
    ingest: s3ObjectStore(s3, env.INGEST_BUCKET),
    processed: s3ObjectStore(s3, env.PROCESSED_BUCKET),
  };
  const logger = createLogger(serviceName('transform', target));
  const generation = env.TRANSFORM_GENERATION;
  if (target === 'dim_date') return calendarHandler({ stores, generation, logger }) as TransformerFunction;
  const topicArn = env.PROCESSED_TOPIC_ARN;
  return createTransformHandler(target, {
    stores,
    generation,
    logger,
    metrics: createMetrics('transform', target),
    retry: { policy: retryPolicyOf(stageSettings.transform), visibility: sqsMessageVisibility(sqs) },
    ...(topicArn ? { announcer: snsObjectAnnouncer({ s3, sns, topicArn }) } : {}),
  }) as TransformerFunction;
}
