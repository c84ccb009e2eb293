import { type StageName, type StageSettings, stageSettings } from '@totes/pipeline';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RecursiveLoop } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { DatabaseNetwork } from './database-network';
import { bucketArn, nagArnParts, nagRendered, topicArn } from './resource-arns';
import { type ServiceName, serviceBundle } from './service-bundle';
import type { StageQueue } from './stage-queue';

/** How a function that belongs to no stage runs (the reconciler). */
export type FunctionSettings = Pick<StageSettings, 'timeoutSeconds' | 'memoryMb' | 'nodeOptions'>;

/** What makes one table's function of a stage, or a function of no stage. */
export interface StageFunctionProps {
  /** The stage whose settings it runs with, or the settings of a function of no stage. */
  readonly stage: StageName | FunctionSettings;
  readonly service: ServiceName;
  readonly functionName: string;
  readonly description: string;
  /** The service's own variables; `NODE_OPTIONS` is added from the stage settings. */
  readonly environment: Readonly<Record<string, string>>;
  /** The queue that feeds it; absent for a function invoked directly (dim_date's calendar). */
  readonly queue?: StageQueue;
  /** Lambda stops SQS → Lambda → SQS chains after 16 rounds unless told they are meant. */
  readonly recursiveLoop?: RecursiveLoop;
  /** The VPC placement of a function that connects to a database; absent: outside any VPC. */
  readonly network?: DatabaseNetwork | undefined;
}

/** S3 object actions a function may be granted under a key prefix. */
export type ObjectAction = 's3:GetObject' | 's3:PutObject' | 's3:AbortMultipartUpload';

// The actions Lambda takes with a VPC function's role to manage its network interfaces, as the
// Lambda guide lists them for a policy of one's own instead of AWSLambdaVPCAccessExecutionRole:
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html
const networkInterfaceActions = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;

/**
 * One table's Lambda function in a stage, with the stage's settings (timeout, memory, Node
 * options), its own log group and a role that holds nothing but what is granted to it here: no
 * AWS managed policy, only writes to its own log group to begin with.
 */
export class StageFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: StageFunctionProps) {
    super(scope, id);
    const settings = typeof props.stage === 'string' ? stageSettings[props.stage] : props.stage;
    this.logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.functionName}: its log group, and the data of its table only`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      ...serviceBundle(props.service),
      functionName: props.functionName,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      timeout: Duration.seconds(settings.timeoutSeconds),
      memorySize: settings.memoryMb,
      environment: { ...props.environment, NODE_OPTIONS: settings.nodeOptions.join(' ') },
      ...(props.recursiveLoop ? { recursiveLoop: props.recursiveLoop } : {}),
      ...(props.network
        ? {
            vpc: props.network.vpc,
            vpcSubnets: { subnets: [...props.network.subnets] },
            securityGroups: [...props.network.securityGroups],
          }
        : {}),
    });
    if (props.network) this.allowNetworkInterfaces();
    Validations.of(this.function).acknowledge(
      {
        id: 'Serverless-LambdaTracing',
        reason:
          'X-Ray tracing is off: eleven extractions a minute would pass the free 100,000 traces a month at idle (docs/cost.md), and each stage is one function between two queues, whose JSON logs carry the object key and the request id.',
      },
      {
        id: 'Serverless-LambdaDLQ',
        reason: props.queue
          ? "Invoked synchronously by its SQS event source, never asynchronously: a failed message goes to its queue's dead-letter queue by the queue's redrive policy."
          : 'Invoked by a schedule (whose undelivered invocations have a dead-letter queue of their own) or once at deploy: a failed run is repeated by the next one, so a failed event is worth nothing kept.',
      },
    );
    if (props.queue && typeof props.stage === 'string') {
      const { batchSize, batchWindowSeconds, eventSourceMaxConcurrency } = stageSettings[props.stage];
      this.function.addEventSource(
        new SqsEventSource(props.queue.queue, {
          batchSize,
          ...(batchWindowSeconds > 0 ? { maxBatchingWindow: Duration.seconds(batchWindowSeconds) } : {}),
          // Without a maximum, Lambda may keep two pollers of an idle queue instead of five.
          ...(eventSourceMaxConcurrency === undefined ? {} : { maxConcurrency: eventSourceMaxConcurrency }),
          reportBatchItemFailures: true,
        }),
      );
      Validations.of(this.function).acknowledge({
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason:
          "Lambda takes no on-failure destination for an SQS event source: a message that keeps failing goes to the queue's dead-letter queue by its redrive policy (maxReceiveCount).",
      });
    }
  }

  /**
   * Allows `actions` on the objects `keys` of `bucket` (a bucket of the storage stack, by name):
   * one key, or a key prefix ending in `*`. A prefix is the key prefix of the function's own
   * table, and cdk-nag's AwsSolutions-IAM5 asks to justify the wildcard: it is acknowledged here,
   * for exactly that resource.
   */
  allowObjects(bucket: string, keys: string, actions: readonly ObjectAction[]): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions], resources: [`${bucketArn(this, bucket)}/${keys}`] }),
    );
    if (keys.includes('*')) {
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:${nagArnParts(this).partition}:s3:::${nagRendered(bucket)}/${keys}]`,
        reason: `Object keys are derived from their content, so unknown in advance; the grant covers ${keys} only, the objects of the table this function serves.`,
      });
    }
  }

  /**
   * Allows Lambda to create and remove the function's network interfaces in its VPC. With a role
   * of its own the function gets no AWS managed policy from CDK, so the role holds these actions
   * inline, in the policy the function's creation waits for (Lambda checks them then).
   * DescribeNetworkInterfaces can be allowed on `*` only, and the interfaces the other actions
   * act on have ids unknown until Lambda creates them: the statement names `*`, and
   * AwsSolutions-IAM5's finding for that resource is acknowledged here, on this function alone.
   */
  private allowNetworkInterfaces(): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...networkInterfaceActions], resources: ['*'] }),
    );
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "Lambda manages a VPC function's network interfaces with its role; EC2 allows DescribeNetworkInterfaces on * only and the interfaces' ids are unknown in advance. The wildcard covers these five network-interface actions only.",
    });
  }

  /**
   * Allows publishing to `topic` (a topic of the storage stack, by name): the stage announces an
   * output it finds already written. The topics are encrypted with the storage stack's key, which
   * a publisher must be allowed to use through SNS; the key is named by its alias
   * (`alias/<environment>-totes-topics`), since its id is not known here, so the resource is the
   * account's keys and AwsSolutions-IAM5 is acknowledged for it on this function alone.
   */
  allowPublishing(topic: string, keyAlias: string): string {
    const stack = Stack.of(this);
    const arn = topicArn(this, topic);
    this.role.addToPrincipalPolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [arn] }));
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
        conditions: {
          'ForAnyValue:StringEquals': { 'kms:ResourceAliases': keyAlias },
          StringEquals: { 'kms:ViaService': `sns.${stack.region}.${stack.urlSuffix}` },
        },
      }),
    );
    const { partition, region, account } = nagArnParts(this);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:kms:${region}:${account}:key/*]`,
      reason: `The topics' key is created by the storage stack and named here by its alias (${keyAlias}), a condition of the grant, through SNS only; its id is unknown to this stack.`,
    });
    return arn;
  }

  /**
   * Allows listing `bucket`. Without it S3 answers a missing key with 403 instead of 404, and the
   * services tell "not written yet" (HeadObject, GetObject) from a failure by that 404; listing
   * shows key names only, never contents.
   */
  allowListing(bucket: string): void {
    this.role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn(this, bucket)] }),
    );
  }
}
