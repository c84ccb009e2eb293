import { resourceNames } from '@totes/pipeline';
import { type Command, InvalidArgumentError, Option } from 'commander';

/** The option that points a command at a deployment in AWS instead of a local stack. */
export interface AwsOptions {
  readonly aws?: string;
}

function environmentName(value: string): string {
  try {
    resourceNames(value);
    return value;
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/**
 * Adds `--aws <environment>`.
 *
 * The command works on that deployment in AWS (the `environment` the CDK app was deployed with,
 * e.g. `prod`), through the SDK's default credentials and region. It names a different stack from
 * the local options, so it cannot be combined with them.
 */
export function awsOption(command: Command): Command {
  return command.addOption(
    new Option(
      '--aws <environment>',
      'work on the deployment <environment> in AWS (e.g. prod), with the default AWS credentials and region',
    )
      .argParser(environmentName)
      .conflicts(['dataDir', 'totesysUrl', 'warehouseUrl']),
  );
}
