import { ConfigError, PipelineError, stageSettings } from '@totes/pipeline';
import {
  cachedConnectionString,
  connectWithCachedSecret,
  createAwsClients,
  createLogger,
  createMetrics,
  describeError,
  type ObjectAnnouncer,
  type ObjectStore,
  type PipelineLogger,
  type PipelineMetrics,
  type RetryTiming,
  retryPolicyOf,
  type SqsHandler,
  s3ObjectStore,
  snsObjectAnnouncer,
  sqsBatchHandler,
  sqsMessageVisibility,
} from '@totes/runtime';
import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { rowFormat } from './copy/row-format';
import { openTotesysSource } from './copy/totesys-source';
import { ExtractConfig, type ExtractConfigInput } from './extract-config';
import { ExtractError } from './extract-error';
import { extractTable } from './extract-table';
import { continuationOf, type ExtractQueue } from './modes/continuation';
import { timeBudget } from './modes/time-budget';
import { parseExtractRequest } from './parse-extract-request';
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
  const service = `extract-${table}`;
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

  async function extract(record: SQSRecord): Promise<void> {
    const started = now().getTime();
    let fields: Readonly<Record<string, string>> = { table };
    try {
      const request = parseExtractRequest(record.body, table);
      fields = { table, mode: request.mode, ...('run' in request ? { run: request.run } : {}) };
      // A refused password may be a rotated secret: it is read again, and tried once more.
      const client = await connectWithCachedSecret(connectionString, {
        statementTimeoutMs: config.statementTimeoutMs,
        applicationName: service,
        readBuffer: true,
      });
      let outcome: Awaited<ReturnType<typeof extractTable>>;
      try {
        const source = await openTotesysSource(client, format, config.ingestCompression);
        const budget = timeBudget(config.timeBudgetMs, () => now().getTime());
        outcome = await extractTable(request, { config, source, store, state, budget, now });
      } finally {
        await client.end().catch(() => undefined);
      }
      // A crash between a write and its notification may have lost the event: announce again.
      for (const key of announcer ? outcome.existing : [])
        await announcer?.announce(config.ingestBucket, key);
      const continuation = outcome.stop ? continuationOf(table, outcome.stop) : undefined;
      if (continuation) await queue.send(continuation);
      const durationMs = now().getTime() - started;
      // Every table is asked for its changes every few seconds, and most asks find none: those
      // are debug lines, or an idle pipeline would log thousands of them a minute.
      const idle =
        outcome.rows === 0 && outcome.written.length === 0 && outcome.existing.length === 0 && !continuation;
      (idle ? logger.debug : logger.info).call(logger, 'extracted', {
        ...fields,
        rows: outcome.rows,
        objects: outcome.written,
        existingObjects: outcome.existing,
        announcedAgain: announcer ? outcome.existing.length : 0,
        ...outcome.details,
        continuation: continuation?.deduplicationId ?? null,
        durationMs,
      });
      metrics.add('rows_extracted', outcome.rows);
      metrics.add('objects_written', outcome.written.length);
      metrics.add('extract_seconds', durationMs / 1000);
      metrics.flush();
    } catch (error) {
      const failure =
        error instanceof ExtractError
          ? error
          : new ExtractError(
              table,
              `${fields.mode} extraction failed: ${(error as Error).message ?? error}`,
              {
                cause: error,
                retryable: error instanceof PipelineError ? error.retryable : true,
              },
            );
      logger.error('extraction failed', {
        ...fields,
        durationMs: now().getTime() - started,
        error: describeError(failure),
      });
      metrics.add('extract_failures', 1);
      metrics.flush();
      throw failure;
    }
  }

  const retry = deps.retry ?? {
    policy: retryPolicyOf(stageSettings.extract),
    visibility: sqsMessageVisibility(aws().sqs),
  };
  return sqsBatchHandler((record) => extract(record), { logger, stopOnFailure: true, retry });
}
