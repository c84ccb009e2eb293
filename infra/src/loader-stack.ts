import {
  functionEnvironment,
  loaderEnvironment,
  pipelineResources,
  stageSettings,
  type TargetTableName,
} from '@totes/pipeline';
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { databaseNetwork } from './database-network';
import { type DatabaseSecret, databaseSecret, databaseSecretName } from './database-secret';
import type { DeploymentSettings } from './deployment-settings';
import { QueueSubscription } from './queue-subscription';
import { StageFunction } from './stage-function';
import { StageQueue } from './stage-queue';

/** Props of {@link LoaderStack}. */
export interface LoaderStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/**
 * The loader: per warehouse table, a function that merges processed objects into the warehouse,
 * fed by a queue subscribed to the processed-events topic and filtered on the table's key
 * prefix. The functions reach the warehouse through one Secrets Manager secret
 * (`WAREHOUSE_SECRET_ARN`), from the VPC of the context when one is given (`vpcId`, …).
 */
export class LoaderStack extends Stack {
  readonly functions: ReadonlyMap<TargetTableName, StageFunction>;
  readonly warehouseSecret: DatabaseSecret;

  constructor(scope: Construct, id: string, props: LoaderStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const { names } = settings;
    const resources = pipelineResources(names);
    this.warehouseSecret = databaseSecret(this, 'WarehouseSecret', {
      arn: settings.warehouseSecretArn,
      name: databaseSecretName(names.environment, 'warehouse'),
      dbname: 'warehouse',
      description: 'The warehouse database the loader writes (host, port, username, password, dbname)',
    });
    const network = databaseNetwork(this, settings.databaseVpc);
    const functions = new Map<TargetTableName, StageFunction>();
    for (const resource of resources.queues.filter((queue) => queue.stage === 'load')) {
      const target = resource.table as TargetTableName;
      const queue = new StageQueue(this, `Queue-${target}`, resource);
      const loader = new StageFunction(this, `Load-${target}`, {
        stage: 'load',
        service: 'loader',
        functionName: names.functionName('load', target),
        description: `Loads s3://${names.processedBucket}/${target}/ objects into warehouse ${target}`,
        queue,
        environment: functionEnvironment(loaderEnvironment, {
          TARGET_TABLE: target,
          PROCESSED_BUCKET: names.processedBucket,
          WAREHOUSE_SECRET_ARN: this.warehouseSecret.secretArn,
          LOAD_MAX_RECEIVE_COUNT: String(stageSettings.load.maxReceiveCount),
        }),
        network,
      });
      loader.allowObjects(names.processedBucket, `${target}/*`, ['s3:GetObject']);
      loader.allowListing(names.processedBucket);
      this.warehouseSecret.grantRead(loader.function);
      for (const subscription of resources.subscriptions.filter((s) => s.queue === resource.name)) {
        new QueueSubscription(this, `Subscription-${target}`, subscription, queue.queue);
      }
      functions.set(target, loader);
    }
    this.functions = functions;
  }
}
