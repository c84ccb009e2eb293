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
import { bucketArn, nagArnParts, nagRendered, queueArn } from './resource-arns';

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
export function operatorPolicies(scope: Construct, names: ResourceNames): OperatorPolicies {
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
  const logs = new ManagedPolicy(scope, 'OperatorLogsPolicy', {
    managedPolicyName: `${names.environment}-totes-operator-logs-${Aws.REGION}`,
    description: `The logs of the ${names.environment} functions, read by totes dlq --aws ${names.environment} for the errors of dead letters`,
    statements: [
      new PolicyStatement({ sid: 'FailureLogs', actions: ['logs:FilterLogEvents'], resources: logGroups }),
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
  new CfnOutput(scope, 'OperatorPolicyArn', {
    value: operator.managedPolicyArn,
    description: 'Attach to the role, group or user that runs `totes … --aws`',
  });
  new CfnOutput(scope, 'OperatorLogsPolicyArn', {
    value: logs.managedPolicyArn,
    description: 'Attach with OperatorPolicyArn: the function logs `totes dlq --aws` reads',
  });
  return { operator, logs };
}
