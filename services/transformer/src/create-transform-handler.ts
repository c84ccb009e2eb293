import type { TargetTableName } from '@totes/pipeline';
import { type SqsHandler, stageHandler } from '@totes/runtime';
import { notificationProcessor, type TransformerDeps } from './notification-processor';

/**
 * The Lambda handler of one warehouse table's transformer.
 *
 * SQS messages carrying S3 notifications of new ingest objects, with partial batch responses, so a
 * bad object fails its own message only.
 */
export function createTransformHandler(
  target: Exclude<TargetTableName, 'dim_date'>,
  deps: TransformerDeps,
): SqsHandler {
  return stageHandler(notificationProcessor(target, deps), {
    logger: deps.logger,
    metrics: deps.metrics,
    retry: deps.retry,
  });
}
