import { ArnFormat, Aws, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The ARN of a bucket of the deployment, from its name. The services' stacks name the storage
 * stack's resources this way instead of importing CloudFormation exports, so each stack deploys
 * on its own and the storage stack can change without unwinding references first.
 */
export function bucketArn(scope: Construct, bucket: string): string {
  return Stack.of(scope).formatArn({ service: 's3', region: '', account: '', resource: bucket });
}

/** The ARN of a topic of the deployment in the stack's account and region, from its name. */
export function topicArn(scope: Construct, topic: string): string {
  return Stack.of(scope).formatArn({
    service: 'sns',
    resource: topic,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/** The ARN of a queue of the deployment in the stack's account and region, from its name. */
export function queueArn(scope: Construct, queue: string): string {
  return Stack.of(scope).formatArn({
    service: 'sqs',
    resource: queue,
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/**
 * The stack's partition, region and account as cdk-nag writes them in the resource of a finding
 * (`AwsSolutions-IAM5[Resource::arn:<partition>:…]`): a literal where the stack knows it, and
 * `<AWS::Partition>`, `<AWS::Region>`, `<AWS::AccountId>` where it is a token.
 */
export function nagArnParts(scope: Construct): { partition: string; region: string; account: string } {
  const stack = Stack.of(scope);
  const rendered = (value: string, name: string) => (Token.isUnresolved(value) ? `<AWS::${name}>` : value);
  return {
    partition: rendered(stack.partition, 'Partition'),
    region: rendered(stack.region, 'Region'),
    account: rendered(stack.account, 'AccountId'),
  };
}

/**
 * A name as cdk-nag writes it in a finding: the `Aws.ACCOUNT_ID` and `Aws.REGION` tokens the
 * bucket names carry become `<AWS::AccountId>` and `<AWS::Region>`.
 */
export function nagRendered(name: string): string {
  return name.replaceAll(Aws.ACCOUNT_ID, '<AWS::AccountId>').replaceAll(Aws.REGION, '<AWS::Region>');
}
