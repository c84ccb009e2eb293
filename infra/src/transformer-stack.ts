import {
  environmentVariable,
  functionEnvironment,
  inputPrefixes,
  pipelineResources,
  type TargetTableName,
  transformerEnvironment,
  warehouseTableNames,
  warehouseTables,
} from '@totes/pipeline';
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { InvocationType, Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { QueueSubscription } from './queue-subscription';
import { StageFunction } from './stage-function';
import { StageQueue } from './stage-queue';
import { topicKeyAlias } from './storage-stack';

/** Props of {@link TransformerStack}. */
export interface TransformerStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

/**
 * The transformer: per warehouse table, a function that turns ingest objects into Parquet in the
 * processed bucket, fed by a queue subscribed to the ingest-events topic and filtered on the key
 * prefixes of the table's inputs. dim_date has no inputs and no queue: its function writes the
 * calendar, and is invoked once when it is deployed (and again whenever its code changes; writing
 * the same calendar again writes nothing).
 */
export class TransformerStack extends Stack {
  readonly functions: ReadonlyMap<TargetTableName, StageFunction>;

  constructor(scope: Construct, id: string, props: TransformerStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const { names } = settings;
    const resources = pipelineResources(names);
    const functions = new Map<TargetTableName, StageFunction>();
    for (const target of warehouseTableNames) {
      const resource = resources.queues.find(
        (queue) => queue.stage === 'transform' && queue.table === target,
      );
      const queue = resource ? new StageQueue(this, `Queue-${target}`, resource) : undefined;
      const transformer = new StageFunction(this, `Transform-${target}`, {
        stage: 'transform',
        service: 'transformer',
        functionName: names.functionName('transform', target),
        description: `Builds ${target} objects in s3://${names.processedBucket}/${target}/`,
        ...(queue ? { queue } : {}),
        environment: functionEnvironment(transformerEnvironment, {
          TARGET_TABLE: target,
          INGEST_BUCKET: names.ingestBucket,
          PROCESSED_BUCKET: names.processedBucket,
          TRANSFORM_GENERATION: String(settings.transformGeneration),
        }),
      });
      for (const prefix of inputPrefixes(target)) {
        transformer.allowObjects(names.ingestBucket, `${prefix}*`, ['s3:GetObject']);
      }
      if (warehouseTables[target].inputs.length > 0) transformer.allowListing(names.ingestBucket);
      transformer.allowObjects(names.processedBucket, `${target}/*`, [
        's3:GetObject',
        's3:PutObject',
        's3:AbortMultipartUpload',
      ]);
      transformer.allowListing(names.processedBucket);
      transformer.function.addEnvironment(
        environmentVariable(transformerEnvironment, 'PROCESSED_TOPIC_ARN'),
        transformer.allowPublishing(names.processedTopic, topicKeyAlias(names.environment)),
      );
      if (resource && queue) {
        for (const subscription of resources.subscriptions.filter((s) => s.queue === resource.name)) {
          new QueueSubscription(this, `Subscription-${target}`, subscription, queue.queue);
        }
      } else {
        new Trigger(this, `Invoke-${target}`, {
          handler: transformer.function,
          invocationType: InvocationType.REQUEST_RESPONSE,
          timeout: Duration.minutes(5),
          executeOnHandlerChange: true,
        });
      }
      functions.set(target, transformer);
    }
    this.functions = functions;
  }
}
