import { pipelineResources, resourceNames } from '@totes/pipeline';
import {
  ArnFormat,
  CfnOutput,
  Duration,
  RemovalPolicy,
  Size,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { DeploymentSettings } from './deployment-settings';
import { bucketArn } from './resource-arns';

/** Props of {@link StorageStack}. */
export interface StorageStackProps extends StackProps {
  readonly settings: DeploymentSettings;
}

const privateBucket = {
  encryption: BucketEncryption.S3_MANAGED,
  blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
  objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  versioned: false,
  // Kept when the stack is deleted, but not after a failed first create, which a retry could
  // otherwise never repeat (the name would be taken by the bucket left behind).
  removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
} as const;

/** How long an overwritten or deleted ingest object version is kept before it expires. */
export const noncurrentIngestVersionDays = 30;

/** The alias of the key the topics are encrypted with; the stages that publish name it by it. */
export function topicKeyAlias(environment: string): string {
  return `alias/${environment}-totes-topics`;
}

/**
 * The buckets and topics every service shares: the ingest and processed buckets, whose
 * ObjectCreated notifications go to the ingest-events and processed-events topics, and the
 * alerts topic. The buckets and the topics' key are kept when the stack is deleted.
 *
 * S3 notifications are set on the bucket itself (CloudFormation's NotificationConfiguration)
 * rather than through CDK's custom resource: no extra Lambda function, and the topic policy that
 * lets S3 publish is created first. The policy names the bucket by its ARN built from its name,
 * so bucket and topic do not depend on each other in a cycle.
 */
export class StorageStack extends Stack {
  readonly ingestBucket: Bucket;
  readonly processedBucket: Bucket;
  readonly alertsTopic: Topic;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { names, alertEmail } = props.settings;
    const resources = pipelineResources(names);

    const accessLogs = new Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(90) }],
    });
    Validations.of(accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'This bucket receives the server access logs of the data buckets; logging its own access would log the logging.',
    });

    // S3 and CloudWatch publish to encrypted topics only with a customer managed key they may use,
    // granted as AWS documents it, without conditions (which these services may not send to KMS):
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/grant-destinations-permissions-to-s3.html
    // Who may publish is decided by each topic's policy.
    const topicKey = new Key(this, 'TopicKey', {
      alias: topicKeyAlias(names.environment),
      description: `Encrypts the ${names.environment} Terrific Totes topics at rest`,
      enableKeyRotation: true,
    });
    for (const service of ['s3.amazonaws.com', 'cloudwatch.amazonaws.com']) {
      topicKey.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(service)],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
        }),
      );
    }

    const topics = new Map(
      resources.topics.map((name) => [
        name,
        new Topic(this, `Topic-${name.slice(names.environment.length + 1)}`, {
          topicName: name,
          displayName: name,
          masterKey: topicKey,
          enforceSSL: true,
        }),
      ]),
    );
    // Construct ids from the names without account and region, which are tokens here.
    const plainBuckets = pipelineResources(resourceNames(names.environment)).buckets;
    const buckets = new Map(
      resources.buckets.map((name, index) => [
        name,
        this.dataBucket(
          `Bucket-${(plainBuckets[index] ?? name).slice(names.environment.length + 1)}`,
          name,
          accessLogs,
          name === names.ingestBucket,
        ),
      ]),
    );

    for (const { bucket: bucketName, topic: topicName } of resources.notifications) {
      const bucket = required(buckets, bucketName);
      const topic = required(topics, topicName);
      topic.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('s3.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
          conditions: {
            ArnLike: { 'aws:SourceArn': bucketArn(this, bucketName) },
            StringEquals: { 'aws:SourceAccount': this.account },
          },
        }),
      );
      (bucket.node.defaultChild as CfnBucket).notificationConfiguration = {
        topicConfigurations: [{ event: 's3:ObjectCreated:*', topic: topic.topicArn }],
      };
      // S3 checks that it may publish when the configuration is set: the topic policy comes first.
      bucket.node.addDependency(topic);
    }

    this.ingestBucket = required(buckets, names.ingestBucket);
    this.processedBucket = required(buckets, names.processedBucket);
    this.alertsTopic = required(topics, names.alertsTopic);
    // enforceSSL gives the topic a policy of its own, which replaces SNS's default one: without
    // this statement no alarm of the account could publish ("not authorized to perform
    // SNS:Publish"). Any alarm of this account and region, and only those.
    this.alertsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alertsTopic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
          StringEquals: { 'aws:SourceAccount': this.account },
        },
      }),
    );
    if (alertEmail) {
      this.alertsTopic.addSubscription(new EmailSubscription(alertEmail));
      Validations.of(this.alertsTopic).acknowledge({
        id: 'Serverless-SNSRedrivePolicy',
        reason:
          'The e-mail subscription of the alerts: an e-mail SNS could not deliver has no one to be redriven to; the alarm stays in ALARM in the console, and the smoke test after a deploy checks delivery.',
      });
    }

    new CfnOutput(this, 'IngestBucketName', { value: this.ingestBucket.bucketName });
    new CfnOutput(this, 'ProcessedBucketName', { value: this.processedBucket.bucketName });
    new CfnOutput(this, 'AlertsTopicArn', { value: this.alertsTopic.topicArn });
  }

  /**
   * A bucket the pipeline's objects live in, its access logged to `accessLogs`. The ingest bucket
   * (`versioned`) is the only source to reprocess from: a version overwritten or deleted by
   * mistake is kept for {@link noncurrentIngestVersionDays} days.
   */
  private dataBucket(id: string, name: string, accessLogs: Bucket, versioned: boolean): Bucket {
    const bucket = new Bucket(this, id, {
      ...privateBucket,
      versioned,
      bucketName: name,
      // The cast only drops optional members that CDK's own types declare differently.
      serverAccessLogsBucket: accessLogs as IBucket,
      serverAccessLogsPrefix: `${name}/`,
      lifecycleRules: [
        // The services upload in parts; a part left by a crashed upload is never visible but billed.
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Objects are immutable and read again only to reprocess: cheaper tiers once they settle.
        // Smaller objects would never leave the frequent tier and pay for the transition only.
        {
          id: 'settled-objects-to-intelligent-tiering',
          objectSizeGreaterThan: Size.kibibytes(128).toBytes(),
          transitions: [
            { storageClass: StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(30) },
          ],
        },
        ...(versioned
          ? [
              {
                id: 'expire-noncurrent-versions',
                noncurrentVersionExpiration: Duration.days(noncurrentIngestVersionDays),
              },
            ]
          : []),
      ],
    });
    Validations.of(bucket).acknowledge({
      id: 'CloudFormation-Validate::W9003',
      reason:
        "CDK writes the lifecycle rule's ObjectSizeGreaterThan as a number; CloudFormation reads it as the same string.",
    });
    return bucket;
  }
}

function required<V>(map: ReadonlyMap<string, V>, name: string): V {
  const value = map.get(name);
  if (value === undefined) throw new Error(`the topology declares no resource named ${name}`);
  return value;
}
