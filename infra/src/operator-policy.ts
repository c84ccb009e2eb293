import { extractionStatePrefix, givenUpPrefix, type ResourceNames } from '@totes/pipeline';
import { ArnFormat, CfnOutput, Stack, Validations } from 'aws-cdk-lib';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { bucketArn, nagArnParts } from './resource-arns';

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
 * The managed policy `<environment>-totes-operator`: what the `totes` command needs against the
 * deployment (`--aws <environment>`), to attach to the operator's role, group or user. Its queues
 * and its functions' log groups are named by the environment's prefix, so the grants name that
 * prefix with a wildcard, acknowledged for cdk-nag here.
 */
export function operatorPolicy(scope: Construct, names: ResourceNames): ManagedPolicy {
  const stack = Stack.of(scope);
  const queues = stack.formatArn({
    service: 'sqs',
    resource: `${names.environment}-*`,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
  const logGroups = stack.formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/lambda/${names.environment}-*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  const policy = new ManagedPolicy(scope, 'OperatorPolicy', {
    managedPolicyName: `${names.environment}-totes-operator`,
    description: `What the totes command needs against ${names.environment} (--aws ${names.environment}): dlq, status and reprocess`,
    statements: [
      new PolicyStatement({ sid: 'Queues', actions: [...operatorQueueActions], resources: [queues] }),
      new PolicyStatement({ sid: 'FailureLogs', actions: ['logs:FilterLogEvents'], resources: [logGroups] }),
      new PolicyStatement({
        sid: 'StoredObjects',
        actions: ['s3:ListBucket'],
        resources: [bucketArn(scope, names.ingestBucket), bucketArn(scope, names.processedBucket)],
      }),
      new PolicyStatement({
        sid: 'ExtractionState',
        actions: ['s3:GetObject'],
        resources: [`${bucketArn(scope, names.ingestBucket)}/${extractionStatePrefix}*`],
      }),
      new PolicyStatement({
        sid: 'GivenUpMarkers',
        actions: ['s3:PutObject'],
        resources: [`${bucketArn(scope, names.ingestBucket)}/${givenUpPrefix}*`],
      }),
    ],
  });
  const { partition, region, account } = nagArnParts(scope);
  Validations.of(policy).acknowledge(
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:sqs:${region}:${account}:${names.environment}-*]`,
      reason: `The queues of ${names.environment} and their DLQs, all named with its prefix: the operator lists, moves and deletes dead letters and sends reprocessing requests.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:logs:${region}:${account}:log-group:/aws/lambda/${names.environment}-*]`,
      reason: `The log groups of ${names.environment}'s functions, read for the errors of dead-lettered messages.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${names.ingestBucket}/${extractionStatePrefix}*]`,
      reason: `The extractors' state objects, one per source table, which totes status --aws reads to show where each extraction stands; no data object.`,
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${partition}:s3:::${names.ingestBucket}/${givenUpPrefix}*]`,
      reason: `Empty markers that totes dlq purge --aws writes for the objects whose dead letters it deleted, so reconciliation does not queue them again; no data object.`,
    },
  );
  new CfnOutput(scope, 'OperatorPolicyArn', {
    value: policy.managedPolicyArn,
    description: 'Attach to the role, group or user that runs `totes … --aws`',
  });
  return policy;
}
