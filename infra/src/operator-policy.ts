import {
  extractionStatePrefix,
  givenUpPrefix,
  pipelineResources,
  type ResourceNames,
  warehouseTableNames,
} from '@totes/pipeline';
import { ArnFormat, Aws, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { bucketArn, nagArnParts, nagRendered, queueArn, topicArn } from './resource-arns';

/** What the `totes` command does to a deployment's queues: `dlq`, `status` and `reprocess`. */
export const operatorQueueActions = [
  'sqs:GetQueueUrl',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
  'sqs:ChangeMessageVisibility',
  'sqs:SendMessage',
  'sqs:DeleteMessage',
  'sqs:PurgeQueue',
  'sqs:StartMessageMoveTask',
  'sqs:ListMessageMoveTasks',
] as const;

/**
 * What `totes doctor --aws` reads of a deployment besides its queues: the stacks it checks are
 * settled and the database secrets it checks are set (complete ARNs of existing secrets, or the
 * names of the secrets the stacks create).
 */
export interface DoctorReads {
  readonly stacks: readonly string[];
  readonly secrets: readonly DoctorSecret[];
}

/** A database secret doctor reads: by its complete ARN when given, else by the name it is created under. */
export type DoctorSecret = { readonly arn: string } | { readonly name: string };

/** The managed policies an operator attaches: the queues and buckets, and the log groups. */
export interface OperatorPolicies {
  readonly operator: ManagedPolicy;
  readonly logs: ManagedPolicy;
}

/**
 * The managed policies `<environment>-totes-operator-<region>` and
 * `<environment>-totes-operator-logs-<region>` (IAM names are global to the account, so they
 * carry the region): what the `totes` command needs against the deployment (`--aws
 * <environment>`), to attach to the operator's role, group or user. Every queue, DLQ and log
 * group is named exactly, from the topology, never by a prefix that other queues could share;
 * the two documents are apart because together they pass IAM's 6,144 characters.
 */
export function operatorPolicies(
  scope: Construct,
  names: ResourceNames,
  doctor: DoctorReads,
): OperatorPolicies {
  const stack = Stack.of(scope);
  const resources = pipelineResources(names);
  const queues = resources.queues.flatMap((queue) => [
    queueArn(scope, queue.name),
    queueArn(scope, queue.deadLetterQueue),
  ]);
  const functions = [
    ...resources.queues.map((queue) => names.functionName(queue.stage, queue.table as never)),
    // dim_date's transformer has no queue, and fails only when deployed; its log is read alike.
    ...warehouseTableNames
      .filter((target) => !resources.queues.some((q) => q.stage === 'transform' && q.table === target))
      .map((target) => names.functionName('transform', target)),
  ];
  const logGroups = functions.map((name) =>
    stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/lambda/${name}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  const operator = new ManagedPolicy(scope, 'OperatorPolicy', {
    managedPolicyName: `${names.environment}-totes-operator-${Aws.REGION}`,
    description: `What the totes command needs against ${names.environment} (--aws ${names.environment}): dlq, status and reprocess`,
    statements: [
      new PolicyStatement({ sid: 'Queues', actions: [...operatorQueueActions], resources: queues }),
      new PolicyStatement({
        sid: 'StoredObjects',
        actions: ['s3:ListBucket'],
        resources: [bucketArn(scope, names.ingestBucket), bucketArn(scope, names.processedBucket)],
      }),
      new PolicyStatement({
        sid: 'ExtractionState',
        // `totes state` reads a table's extraction state; `totes state reset` deletes it.
        actions: ['s3:GetObject', 's3:DeleteObject'],
        resources: [`${bucketArn(scope, names.ingestBucket)}/${extractionStatePrefix}*`],
      }),
      new PolicyStatement({
        sid: 'GivenUpMarkers',
        actions: ['s3:PutObject'],
        resources: [`${bucketArn(scope, names.ingestBucket)}/${givenUpPrefix}*`],
      }),
    ],
  });
  // Secrets Manager adds six random characters to a secret's name in its ARN; `??????` stands
  // for exactly those: https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html
  const secretArns = doctor.secrets.map((secret) =>
    'arn' in secret
      ? secret.arn
      : stack.formatArn({
          service: 'secretsmanager',
          resource: 'secret',
          resourceName: `${secret.name}-??????`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
  );
  const logs = new ManagedPolicy(scope, 'OperatorLogsPolicy', {
    managedPolicyName: `${names.environment}-totes-operator-logs-${Aws.REGION}`,
    description: `The logs of the ${names.environment} functions, read by totes dlq --aws ${names.environment} for the errors of dead letters, and what totes doctor --aws ${names.environment} reads`,
    statements: [
      new PolicyStatement({ sid: 'FailureLogs', actions: ['logs:FilterLogEvents'], resources: logGroups }),
      // `totes doctor --aws`: are the stacks settled, the secrets set, the schedules enabled, the
      // alerts subscribed? (packages/cli/src/doctor/aws-deployment-probe.ts)
      new PolicyStatement({
        sid: 'DoctorStacks',
        actions: ['cloudformation:DescribeStacks'],
        resources: doctor.stacks.map((name) =>
          stack.formatArn({ service: 'cloudformation', resource: 'stack', resourceName: `${name}/*` }),
        ),
      }),
      new PolicyStatement({
        sid: 'DoctorSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secretArns,
      }),
      new PolicyStatement({
        sid: 'DoctorAlertSubscribers',
        actions: ['sns:ListSubscriptionsByTopic'],
        resources: [topicArn(scope, names.alertsTopic)],
      }),
      // Neither listing can be limited to resources: IAM takes them on `*` only.
      new PolicyStatement({
        sid: 'DoctorListings',
        actions: ['scheduler:ListSchedules', 'sns:ListTopics'],
        resources: ['*'],
      }),
    ],
  });
  const { partition } = nagArnParts(scope);
  const ingest = nagRendered(names.ingestBucket);
  Validations.of(operator).acknowledge(
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${ingest}/${extractionStatePrefix}*]`,
      reason: `The extractors' state objects, one per source table, which totes status --aws reads to show where each extraction stands; no data object.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${ingest}/${givenUpPrefix}*]`,
      reason: `Empty markers that totes dlq purge --aws writes for the objects whose dead letters it deleted, so reconciliation does not queue them again; no data object.`,
    },
  );
  const { region, account } = nagArnParts(scope);
  Validations.of(logs).acknowledge(
    ...doctor.stacks.map((name) => ({
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:cloudformation:${region}:${account}:stack/${name}/*]`,
      reason: `The stack ${name}, whose id CloudFormation appends after its name when it creates it; DescribeStacks only, for totes doctor --aws.`,
    })),
    ...doctor.secrets
      .filter((secret) => 'name' in secret)
      .map((secret) => ({
        id: `AwsSolutions-IAM5[Resource::arn:${partition}:secretsmanager:${region}:${account}:secret:${(secret as { name: string }).name}-??????]`,
        reason: `The secret ${(secret as { name: string }).name}, whose ARN ends in six characters Secrets Manager picks when it creates it; read by totes doctor --aws to tell a placeholder from a connection.`,
      })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'scheduler:ListSchedules and sns:ListTopics, which IAM allows on * only (no resource type); totes doctor --aws lists the schedule group and finds the alerts topic with them, and reads nothing else through this statement.',
    },
  );
  new CfnOutput(scope, 'OperatorPolicyArn', {
    value: operator.managedPolicyArn,
    description: 'Attach to the role, group or user that runs `totes … --aws`',
  });
  new CfnOutput(scope, 'OperatorLogsPolicyArn', {
    value: logs.managedPolicyArn,
    description:
      'Attach with OperatorPolicyArn: the function logs `totes dlq --aws` reads, and what `totes doctor --aws` reads',
  });
  return { operator, logs };
}
