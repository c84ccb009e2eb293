import { Validations } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { nagArnParts } from './resource-arns';

/**
 * The warehouse secret, the loader's (the warehouse's owner), for a stack other than the
 * loader's: the one of the context, by its complete ARN, or the one the loader stack creates,
 * by name (the stacks refer to each other by name, never by export). A name matches the secret's
 * ARN only with the six characters Secrets Manager appends, so the grant ends in `-??????`, which
 * AwsSolutions-IAM5 asks to justify: acknowledged on `scope`, for that resource.
 */
export function warehouseOwnerSecret(scope: Construct, settings: DeploymentSettings): ISecret {
  if (settings.warehouseSecretArn) {
    return Secret.fromSecretCompleteArn(scope, 'WarehouseSecret', settings.warehouseSecretArn);
  }
  const name = `${settings.names.environment}/totes/warehouse`;
  const { partition, region, account } = nagArnParts(scope);
  Validations.of(scope).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:${partition}:secretsmanager:${region}:${account}:secret:${name}-??????]`,
    reason: `The loader stack creates the secret ${name}; Secrets Manager appends six random characters to its ARN, which this stack, referring to it by name, cannot know. The wildcard matches that suffix only.`,
  });
  return Secret.fromSecretNameV2(scope, 'WarehouseSecret', name);
}
