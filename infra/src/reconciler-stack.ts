import { functionEnvironment, pipelineResources, reconcilerEnvironment } from '@totes/pipeline';
import { Aws, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Schedule, ScheduleExpression, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { Construct } from 'constructs';
import { databaseNetwork } from './database-network';
import type { DeploymentSettings } from './deployment-settings';
import { scheduleDeadLetterQueue, scheduleDeadLetters } from './extractor-stack';
import { queueArn } from './resource-arns';
import { type FunctionSettings, StageFunction } from './stage-function';
import { warehouseOwnerSecret } from './warehouse-owner-secret';

/** Props of {@link ReconcilerStack}. */
export interface ReconcilerStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/**
 * How the reconciler runs: listing both buckets and the ledger takes seconds for thousands of
 * objects; five minutes leaves room for a large backlog, well inside its 15-minute rate.
 */
export const reconcilerSettings = {
  timeoutSeconds: 300,
  memoryMb: 512,
  nodeOptions: [],
} as const satisfies FunctionSettings;

/**
 * The reconciler (invariant 8: no event is lost for good): a function, invoked by an EventBridge
 * Scheduler schedule (`reconcileSchedule`, every 15 minutes by default), that lists both buckets,
 * reads the warehouse's load ledger and sends the ObjectCreated event of every object a stage
 * left unconsumed to that stage's queue; it also counts the messages of every DLQ for the stages'
 * dead-letter alarms (docs/decisions/0020). Its role may list the two buckets (key names only, no
 * object), send to the transform and load queues and read their depth, read the depth of every
 * DLQ, and read the warehouse secret; nothing else.
 * It reaches the warehouse from the VPC of the context when one is given, as the loaders do.
 */
export class ReconcilerStack extends Stack {
  readonly reconciler: StageFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: ReconcilerStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const { names } = settings;
    const warehouseSecret = warehouseOwnerSecret(this, settings);
    const reconciler = new StageFunction(this, 'Reconcile', {
      stage: reconcilerSettings,
      service: 'reconciler',
      functionName: `${names.environment}-reconcile`,
      description: `Re-queues the objects of s3://${names.ingestBucket} and s3://${names.processedBucket} their stage left unconsumed`,
      environment: functionEnvironment(reconcilerEnvironment, {
        ENVIRONMENT: names.environment,
        // With the region Lambda sets, the account names the buckets (`resourceNames`).
        ACCOUNT_ID: Aws.ACCOUNT_ID,
        QUEUE_URL_PREFIX: `https://sqs.${Aws.REGION}.${Aws.URL_SUFFIX}/${Aws.ACCOUNT_ID}/`,
        WAREHOUSE_SECRET_ARN: warehouseSecret.secretArn,
      }),
      network: databaseNetwork(this, settings.databaseVpc),
    });
    reconciler.allowListing(names.ingestBucket);
    reconciler.allowListing(names.processedBucket);
    const allQueues = pipelineResources(names).queues;
    const queues = allQueues.filter((queue) => queue.stage !== 'extract');
    // Sends to those queues, and reads their depth, to leave a table whose messages are on their way.
    reconciler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'],
        resources: queues.map((queue) => queueArn(this, queue.name)),
      }),
    );
    // Reads the depth of every DLQ, the extract stage's too: it counts their messages for the
    // stages' dead-letter alarms, and leaves a table whose messages are dead-lettered alone.
    reconciler.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['sqs:GetQueueAttributes'],
        resources: allQueues.map((queue) => queueArn(this, queue.deadLetterQueue)),
      }),
    );
    warehouseSecret.grantRead(reconciler.function);
    this.reconciler = reconciler;

    this.schedule = new Schedule(this, 'Schedule', {
      scheduleName: `${names.environment}-reconcile`,
      description: 'Re-queues what a stage left unconsumed (a lost notification, a crash between two writes)',
      schedule: ScheduleExpression.expression(settings.reconcileSchedule),
      timeWindow: TimeWindow.off(),
      // Off until the secrets hold real values (`-c schedules=on`), as the extraction schedules.
      enabled: settings.schedules === 'on',
      target: new LambdaInvoke(reconciler.function, {
        // A run that missed its time is worth nothing: the next one looks at everything again.
        maxEventAge: Duration.minutes(5),
        retryAttempts: 0,
        deadLetterQueue: scheduleDeadLetters(this, scheduleDeadLetterQueue(names.environment, 'reconcile')),
      }),
    });
    const functionId = this.getLogicalId(reconciler.function.node.defaultChild as CfnFunction);
    // The role CDK creates for Lambda targets belongs to the stack, not to the schedule.
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
      reason:
        "CDK's Lambda target lets the schedule's role invoke the function and its versions and aliases (`<arn>:*`); it is this one function, invoked by this schedule only.",
    });
  }
}
