import { ConfigError, serviceName, stageSettings } from '@totes/pipeline';
import {
  createAwsClients,
  createLogger,
  createMetrics,
  type ObjectAnnouncer,
  type ObjectStore,
  type PipelineLogger,
  type PipelineMetrics,
  type RetryTiming,
  retryPolicyOf,
  type SqsHandler,
  s3ObjectStore,
  snsObjectAnnouncer,
  sqsMessageVisibility,
  stageHandler,
} from '@totes/runtime';
import { cachedConnectionString } from '@totes/runtime/database';
import { z } from 'zod';
import { rowFormat } from './copy/row-format';
import { ExtractConfig, type ExtractConfigInput } from './extract-config';
import { extractionWork } from './extraction-work';
import type { ExtractQueue } from './modes/continuation';
import { sqsExtractQueue } from './sqs-extract-queue';
import { objectStateStore } from './store/object-state-store';
import type { StateStore } from './store/state-store';

/** What the extractor talks to; each defaults to the real thing built from the configuration. */
export interface ExtractDeps {
  /** The ingest bucket. */
  readonly store?: ObjectStore;
  /** Where watermarks, snapshot hashes and sweep hashes are kept (default: the ingest bucket). */
  readonly state?: StateStore;
  /**
   * Where an object found already written is announced again (default: the `ingestTopicArn`
   * topic, when one is configured).
   */
  readonly announcer?: ObjectAnnouncer;
  /** Where continuations go (default: the table's FIFO queue). */
  readonly queue?: ExtractQueue;
  readonly logger?: PipelineLogger;
  readonly metrics?: PipelineMetrics<'extract'>;
  /** The clock, for snapshot times and the time budget. */
  readonly now?: () => Date;
  /** How failed requests come back (default: the extract stage's backoff, set through SQS). */
  readonly retry?: RetryTiming;
}

function parseConfig(input: ExtractConfigInput): ExtractConfig {
  const parsed = ExtractConfig.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ConfigError(`the extractor's configuration is invalid: ${z.prettifyError(parsed.error)}`, {
    retryable: false,
  });
}

/**
 * Builds the Lambda handler of one table's extractor: it reads extract requests from the table's
 * FIFO queue (one at a time, in order), extracts over one connection per request, writes JSON
 * Lines objects to the ingest bucket, and logs one line per request. A request that fails fails
 * alone (a partial batch response), is retried and then dead-lettered, with nothing written
 * for the part that failed.
 */
export function createExtractHandler(input: ExtractConfigInput, deps: ExtractDeps = {}): SqsHandler {
  const config = parseConfig(input);
  const { table } = config;
  const service = serviceName('extract', table);
  const format = rowFormat(table);
  const logger = deps.logger ?? createLogger(service);
  const metrics = deps.metrics ?? createMetrics('extract', table);
  const now = deps.now ?? (() => new Date());
  let clients: ReturnType<typeof createAwsClients> | undefined;
  const aws = () => {
    clients ??= createAwsClients({ forcePathStyle: config.forcePathStyle });
    return clients;
  };
  const store = deps.store ?? s3ObjectStore(aws().s3, config.ingestBucket);
  const state = deps.state ?? objectStateStore(store);
  const queue = deps.queue ?? sqsExtractQueue(aws().sqs, config.extractQueueUrl);
  const topicArn = config.ingestTopicArn;
  const announcer =
    deps.announcer ?? (topicArn ? snsObjectAnnouncer({ s3: aws().s3, sns: aws().sns, topicArn }) : undefined);
  const totesysUrl = config.totesysUrl;
  const connectionString = cachedConnectionString(
    typeof totesysUrl === 'string' ? async () => totesysUrl : totesysUrl,
  );

  const retry = deps.retry ?? {
    policy: retryPolicyOf(stageSettings.extract),
    visibility: sqsMessageVisibility(aws().sqs),
  };
  const work = extractionWork({
    config,
    service,
    format,
    connectionString,
    store,
    state,
    queue,
    announcer,
    logger,
    now,
  });
  return stageHandler<'extract'>(work, {
    logger,
    metrics,
    retry,
    stopOnFailure: true,
    failureMetric: 'extract_failures',
  });
}
