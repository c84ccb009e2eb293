import {
  environmentVariable,
  extractorEnvironment,
  functionEnvironment,
  isReferenceTable,
  pipelineResources,
  type SourceTableName,
  sourceTableNames,
  stageSettings,
  stateKey,
} from '@totes/pipeline';
import { Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { RecursiveLoop } from 'aws-cdk-lib/aws-lambda';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { SqsSendMessage } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { databaseNetwork } from './database-network';
import { type DatabaseSecret, databaseSecret, databaseSecretName } from './database-secret';
import type { DeploymentSettings } from './deployment-settings';
import { StageFunction } from './stage-function';
import { StageQueue } from './stage-queue';
import { topicKeyAlias } from './storage-stack';

/** Props of {@link ExtractorStack}. */
export interface ExtractorStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/** The requests a schedule sends to a table's extract queue. */
export type ScheduledMode = 'incremental' | 'sweep';

/**
 * The modes a table is scheduled in: every table incrementally, event tables also swept for
 * silent edits (a reference table's incremental run already hashes the whole table).
 */
export function scheduledModes(table: SourceTableName, sweeps: boolean): readonly ScheduledMode[] {
  return sweeps && !isReferenceTable(table) ? ['incremental', 'sweep'] : ['incremental'];
}

/**
 * The body a schedule sends, an `ExtractRequest` whose `requestedAt` EventBridge Scheduler fills
 * in with the scheduled time, so successive requests are distinct messages to the FIFO queue's
 * content-based deduplication.
 */
export function scheduledRequest(table: SourceTableName, mode: ScheduledMode) {
  return { mode, table, requestedAt: ContextAttribute.scheduledTime } as const;
}

/** The schedule group of a deployment's extraction schedules. */
export function extractScheduleGroup(environment: string): string {
  return `${environment}-totes-extract`;
}

/**
 * The dead-letter queue of a stack's schedules (`extract`, `reconcile`, `analytics-refresh`): where EventBridge
 * Scheduler puts an invocation it could not deliver after its retries.
 */
export function scheduleDeadLetterQueue(
  environment: string,
  owner: 'extract' | 'reconcile' | 'analytics-refresh',
): string {
  return `${environment}-${owner}-schedules-dlq`;
}

/**
 * A standard queue (EventBridge Scheduler takes no FIFO queue as a dead-letter queue) for the
 * invocations a stack's schedules could not deliver; the monitoring stack alarms on its depth.
 */
export function scheduleDeadLetters(scope: Construct, queueName: string): Queue {
  const queue = new Queue(scope, 'ScheduleDeadLetters', {
    queueName,
    retentionPeriod: Duration.days(14),
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
  });
  Validations.of(queue).acknowledge(
    {
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        "This queue is the schedules' dead-letter queue: what it holds waits for an operator, never for another redrive.",
    },
    {
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is itself a dead-letter queue: the schedules' (EventBridge Scheduler names it as theirs, not an SQS redrive policy).",
    },
  );
  return queue;
}

/**
 * The extractor: one FIFO queue for every source table's extract requests (`<env>-extract.fifo`,
 * `MessageGroupId` = table, so one extraction per table at a time and the tables side by side)
 * with its DLQ, the one function it feeds, which reads the table from each request, and the
 * schedules that send each table its incremental and sweep requests. The function reads totesys
 * through one Secrets Manager secret, from the VPC of the context when one is given (`vpcId`, …).
 */
export class ExtractorStack extends Stack {
  /** The extractor function, one for every table. */
  readonly extractor: StageFunction;
  readonly totesysSecret: DatabaseSecret;

  constructor(scope: Construct, id: string, props: ExtractorStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const { names } = settings;
    this.totesysSecret = databaseSecret(this, 'TotesysSecret', {
      arn: settings.totesysSecretArn,
      name: databaseSecretName(names.environment, 'totesys'),
      dbname: 'totesys',
      description: 'The totesys database the extractor reads (host, port, username, password, dbname)',
    });
    const network = databaseNetwork(this, settings.databaseVpc);
    const group = new ScheduleGroup(this, 'Schedules', {
      scheduleGroupName: extractScheduleGroup(names.environment),
    });
    const scheduleDlq = scheduleDeadLetters(this, scheduleDeadLetterQueue(names.environment, 'extract'));
    const [resource] = pipelineResources(names).queues.filter((queue) => queue.stage === 'extract');
    if (!resource) throw new Error('the topology declares no extract queue');
    const queue = new StageQueue(this, 'Queue', resource);
    const extractor = new StageFunction(this, 'Extract', {
      stage: 'extract',
      service: 'extractor',
      functionName: names.functionName('extract', sourceTableNames[0] as SourceTableName),
      description: `Extracts every totesys table its requests name into s3://${names.ingestBucket}/<table>/`,
      queue,
      environment: functionEnvironment(extractorEnvironment, {
        INGEST_BUCKET: names.ingestBucket,
        EXTRACT_QUEUE_URL: queue.queue.queueUrl,
        TOTESYS_SECRET_ARN: this.totesysSecret.secretArn,
        // Leaves a minute of the function's timeout to save state and send the continuation.
        TIME_BUDGET_SECONDS: String(stageSettings.extract.timeoutSeconds - 60),
        SOURCE_TIME_ZONE: settings.sourceTimeZone,
        INGEST_COMPRESSION: settings.ingestCompression,
      }),
      // A long extraction continues itself through its own queue, one invocation after another.
      recursiveLoop: RecursiveLoop.ALLOW,
      network,
    });
    for (const table of sourceTableNames) {
      extractor.allowObjects(names.ingestBucket, `${table}/*`, [
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
      ]);
      // Its state object, as the extractor names it (`stateKey`; the tests hold the two together).
      extractor.allowObjects(names.ingestBucket, stateKey(table), ['s3:GetObject', 's3:PutObject']);
    }
    extractor.allowListing(names.ingestBucket);
    extractor.function.addEnvironment(
      environmentVariable(extractorEnvironment, 'INGEST_TOPIC_ARN'),
      extractor.allowPublishing(names.ingestTopic, topicKeyAlias(names.environment)),
    );
    queue.queue.grantSendMessages(extractor.function);
    this.totesysSecret.grantRead(extractor.function);
    this.extractor = extractor;

    for (const table of sourceTableNames) {
      for (const mode of scheduledModes(table, settings.sweepSchedule !== 'off')) {
        const expression = mode === 'incremental' ? settings.incrementalSchedule : settings.sweepSchedule;
        const schedule = new Schedule(this, `Schedule-${table}-${mode}`, {
          scheduleName: `${names.environment}-extract-${table}-${mode}`,
          description: `Sends ${mode} extract requests for ${table}`,
          scheduleGroup: group,
          // Off until the secrets hold real values (`-c schedules=on`): requests before that fail.
          enabled: settings.schedules === 'on',
          schedule: ScheduleExpression.expression(expression),
          timeWindow: TimeWindow.off(),
          target: new SqsSendMessage(queue.queue, {
            input: ScheduleTargetInput.fromObject(scheduledRequest(table, mode)),
            // The table's message group: its requests one at a time, in order.
            messageGroupId: table,
            // A request older than the next one is worth nothing.
            maxEventAge: Duration.minutes(5),
            retryAttempts: 3,
            deadLetterQueue: scheduleDlq,
          }),
        });
        // The schedule names its group by name, which CloudFormation does not read as a dependency.
        schedule.node.addDependency(group);
      }
    }
  }
}
