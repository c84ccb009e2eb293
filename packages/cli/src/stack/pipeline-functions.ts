import { S3Client } from '@aws-sdk/client-s3';
import { createExtractRouter, sqsExtractQueue } from '@totes/extractor';
import { createLoadHandler } from '@totes/loader';
import { type AwsClients, type LocalStack, localStackSettings, type SqsFunctionHandler } from '@totes/local';
import {
  extractorDefaults,
  type QueueResource,
  type ResourceNames,
  serviceName,
  type TargetTableName,
} from '@totes/pipeline';
import { type RetryTiming, s3ObjectStore, snsObjectAnnouncer, sqsMessageVisibility } from '@totes/runtime';
import { cachedConnectionString, connectPostgres } from '@totes/runtime/database';
import { calendarHandler, createTransformHandler } from '@totes/transformer';
import type { LogWriter } from './log-sink';

/** A function of the pipeline and the queue that triggers it. */
export interface PipelineFunction {
  readonly queue: QueueResource;
  readonly name: string;
  readonly handler: SqsFunctionHandler;
}

/** What the functions need of a local stack: its endpoints, names and clients. */
export interface FunctionStack {
  readonly region: string;
  readonly s3Endpoint: string;
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
  readonly names: ResourceNames;
  readonly resources: Pick<LocalStack['resources'], 'queues'>;
  readonly clients: Pick<AwsClients, 'sqs' | 'sns'>;
  readonly provisioned: { readonly topicArns: ReadonlyMap<string, string> };
  queueUrl(name: string): string;
}

/**
 * Builds the real handlers of every extractor, transformer and loader, configured for the local stack.
 *
 * The same factories the Lambda entry points call, given local endpoints and the stack's log sink.
 * Nothing in the services knows it runs locally.
 */
export function pipelineFunctions(stack: FunctionStack, log: LogWriter) {
  const s3 = new S3Client({
    endpoint: stack.s3Endpoint,
    region: stack.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const ingest = s3ObjectStore(s3, stack.names.ingestBucket);
  const processed = s3ObjectStore(s3, stack.names.processedBucket);
  const generation = 1;
  // A stage that finds its output already written announces it again, as in AWS: to its bucket's topic.
  const announcerTo = (topic: string) =>
    snsObjectAnnouncer({
      s3,
      sns: stack.clients.sns,
      topicArn: stack.provisioned.topicArns.get(topic) ?? '',
      region: stack.region,
    });
  const ingestAnnouncer = announcerTo(stack.names.ingestTopic);
  const processedAnnouncer = announcerTo(stack.names.processedTopic);
  const visibility = sqsMessageVisibility(stack.clients.sqs);
  const totesys = cachedConnectionString(async () => stack.totesysUrl);
  const retryOf = (queue: QueueResource): RetryTiming => ({
    policy: { ...localStackSettings.retry, maxReceiveCount: queue.maxReceiveCount },
    visibility,
  });

  const handlerOf = (queue: QueueResource): SqsFunctionHandler => {
    const service = queue.table === undefined ? queue.stage : `${queue.stage}-${queue.table}`;
    const logger = log.logger(service);
    switch (queue.stage) {
      case 'extract':
        // One function for every table's requests, as in AWS; each table's logger and metrics
        // made at its first request.
        return createExtractRouter(
          {
            ...extractorDefaults,
            timeBudgetMs: (localStackSettings.timeoutSeconds.extract - 15) * 1000,
            commitMarginMs: localStackSettings.commitMarginMs,
          },
          {
            totesys,
            store: ingest,
            queue: sqsExtractQueue(stack.clients.sqs, stack.queueUrl(queue.name)),
            announcer: ingestAnnouncer,
            logger: (table) => log.logger(serviceName('extract', table)),
            metrics: (table) => log.metrics('extract', table),
            retry: retryOf(queue),
          },
        );
      case 'transform':
        return createTransformHandler(queue.table as Exclude<TargetTableName, 'dim_date'>, {
          stores: { ingest, processed },
          generation,
          logger,
          metrics: log.metrics('transform', queue.table),
          retry: retryOf(queue),
          announcer: processedAnnouncer,
        });
      case 'load':
        return createLoadHandler({
          table: queue.table as TargetTableName,
          store: processed,
          connect: () =>
            connectPostgres(stack.warehouseUrl, {
              statementTimeoutMs: 60_000,
              applicationName: `totes-${service}`,
            }),
          visibility,
          retry: retryOf(queue).policy,
          logger,
          metrics: log.metrics('load', queue.table),
        });
    }
  };

  return {
    functions: stack.resources.queues.map(
      (queue): PipelineFunction => ({
        queue,
        name: stack.names.functionName(queue.stage, queue.table as never),
        handler: handlerOf(queue),
      }),
    ),
    /** The dim_date function, invoked directly when the pipeline is provisioned. */
    calendar: calendarHandler({
      stores: { processed },
      generation,
      logger: log.logger('transform-dim_date'),
    }),
    processed,
    destroy: () => s3.destroy(),
  };
}
