import { ConfigError, stageSettings, type TargetTableName, warehouseTableNames } from '@totes/pipeline';
import {
  createAwsClients,
  createLogger,
  createMetrics,
  loadConfig,
  retryPolicyOf,
  type SqsHandler,
  s3ObjectStore,
  snsObjectAnnouncer,
  sqsMessageVisibility,
} from '@totes/runtime';
import type { Context, SQSEvent } from 'aws-lambda';
import { type CalendarHandler, type CalendarRequest, calendarHandler } from './calendar-handler';
import { transformHandler } from './transform-handler';
import { TransformerConfig } from './transformer-config';

/** The Lambda handler of each warehouse table's transformer, by table. */
export type TransformerHandlers = { readonly dim_date: CalendarHandler } & {
  readonly [T in Exclude<TargetTableName, 'dim_date'>]: SqsHandler;
};

let environment:
  | {
      readonly config: TransformerConfig;
      readonly stores: ReturnType<typeof bucketStores>['stores'];
      readonly visibility: ReturnType<typeof bucketStores>['visibility'];
      readonly announcer: ReturnType<typeof bucketStores>['announcer'];
    }
  | undefined;

function bucketStores(config: TransformerConfig) {
  const { s3, sqs, sns } = createAwsClients({ forcePathStyle: config.S3_FORCE_PATH_STYLE });
  const topicArn = config.PROCESSED_TOPIC_ARN;
  return {
    stores: {
      ingest: s3ObjectStore(s3, config.INGEST_BUCKET),
      processed: s3ObjectStore(s3, config.PROCESSED_BUCKET),
    },
    visibility: sqsMessageVisibility(sqs),
    announcer: topicArn ? snsObjectAnnouncer({ s3, sns, topicArn }) : undefined,
  };
}

// Configuration is read at the first invocation (the cold start), not at import, so importing
// the module never needs an environment.
function loadEnvironment() {
  if (!environment) {
    const config = loadConfig(TransformerConfig);
    environment = { config, ...bucketStores(config) };
  }
  return environment;
}

function build(target: TargetTableName): SqsHandler | CalendarHandler {
  const { config, stores, visibility, announcer } = loadEnvironment();
  const logger = createLogger(`transform-${target}`);
  const generation = config.TRANSFORM_GENERATION;
  if (target === 'dim_date') return calendarHandler({ stores, generation, logger });
  const metrics = createMetrics('transform', target);
  const retry = { policy: retryPolicyOf(stageSettings.transform), visibility };
  return transformHandler(target, {
    stores,
    generation,
    logger,
    metrics,
    retry,
    ...(announcer ? { announcer } : {}),
  });
}

function lazy(target: TargetTableName) {
  let built: ((event: never, context: Context) => Promise<unknown>) | undefined;
  return (event: never, context: Context) => {
    built ??= build(target) as (event: never, context: Context) => Promise<unknown>;
    return built(event, context);
  };
}

/**
 * One handler per warehouse table (deploy each with the handler `handlers.<table>`). Each reads
 * `INGEST_BUCKET`, `PROCESSED_BUCKET`, `TRANSFORM_GENERATION` (default 1) and
 * `S3_FORCE_PATH_STYLE` (default false) at its cold start.
 */
export const handlers = Object.fromEntries(
  warehouseTableNames.map((target) => [target, lazy(target)]),
) as unknown as TransformerHandlers;

/** One entry point for every table, which the function's `TARGET_TABLE` chooses. */
export function handler(event: SQSEvent | CalendarRequest | undefined, context: Context): Promise<unknown> {
  const target = loadEnvironment().config.TARGET_TABLE;
  if (!target) {
    throw new ConfigError('TARGET_TABLE must name the warehouse table this function transforms', {
      retryable: false,
    });
  }
  return (handlers[target] as (event: unknown, context: Context) => Promise<unknown>)(event, context);
}
