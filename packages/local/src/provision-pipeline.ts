import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { PipelineResources, QueueResource } from '@totes/pipeline';

/** Where each provisioned resource can be reached. */
export interface ProvisionedPipeline {
  readonly queueUrls: ReadonlyMap<string, string>;
  readonly topicArns: ReadonlyMap<string, string>;
}

/** Settings that differ on one machine from AWS (shorter waits), chosen by the caller. */
export interface ProvisionOptions {
  readonly visibilityTimeoutSeconds?: (queue: QueueResource) => number;
}

const fourteenDays = String(14 * 24 * 3600);

async function createQueue(sqs: SQSClient, name: string, fifo: boolean, attributes: Record<string, string>) {
  // Content-based deduplication lets schedules (which cannot set a deduplication id) send
  // requests that differ by their `requestedAt`; senders that can, set their own id.
  const fifoAttributes = fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : {};
  const QueueUrl = await sqs
    .send(new CreateQueueCommand({ QueueName: name, Attributes: { ...attributes, ...fifoAttributes } }))
    .then((created) => created.QueueUrl)
    .catch(async (error: { name?: string }) => {
      // The queue exists with other settings (a newer version changed them): update them in place.
      if (!/QueueNameExists|QueueAlreadyExists/.test(error.name ?? '')) throw error;
      const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      const { FifoQueue: _, ...changeable } = { ...attributes, ...fifoAttributes };
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: changeable }));
      return url;
    });
  if (!QueueUrl) throw new Error(`CreateQueue returned no URL for ${name}`);
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes returned no ARN for ${name}`);
  return { url: QueueUrl, arn };
}

/**
 * Creates every bucket, topic, queue, DLQ and filtered subscription of a deployment.
 *
 * Through the real S3/SQS/SNS APIs, each queue with its redrive policy. Safe to run again: each
 * call finds what exists. (In AWS the CDK stacks create the same resources from the same
 * declaration.)
 */
export async function provisionPipeline(
  clients: { readonly s3: S3Client; readonly sqs: SQSClient; readonly sns: SNSClient },
  resources: PipelineResources,
  options: ProvisionOptions = {},
): Promise<ProvisionedPipeline> {
  const { s3, sqs, sns } = clients;
  for (const bucket of resources.buckets) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
      if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
    });
  }
  const topicArns = new Map<string, string>();
  for (const topic of resources.topics) {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topic }));
    if (!TopicArn) throw new Error(`CreateTopic returned no ARN for ${topic}`);
    topicArns.set(topic, TopicArn);
  }
  const queueUrls = new Map<string, string>();
  const queueArns = new Map<string, string>();
  // Each queue after its DLQ, the queues side by side: every `totes` command provisions on start,
  // and one request after another took 1.5 s of it on a busy machine (docs/decisions/0013).
  const created = await Promise.all(
    resources.queues.map(async (queue) => {
      const dlq = await createQueue(sqs, queue.deadLetterQueue, queue.fifo, {
        MessageRetentionPeriod: fourteenDays,
      });
      const visibility = options.visibilityTimeoutSeconds?.(queue) ?? queue.visibilityTimeoutSeconds;
      const main = await createQueue(sqs, queue.name, queue.fifo, {
        VisibilityTimeout: String(visibility),
        MessageRetentionPeriod: fourteenDays,
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: dlq.arn,
          maxReceiveCount: queue.maxReceiveCount,
        }),
      });
      return { queue, dlq, main };
    }),
  );
  for (const { queue, dlq, main } of created) {
    queueUrls.set(queue.deadLetterQueue, dlq.url).set(queue.name, main.url);
    queueArns.set(queue.name, main.arn);
  }
  await Promise.all(
    resources.subscriptions.map((subscription) =>
      sns.send(
        new SubscribeCommand({
          TopicArn: topicArns.get(subscription.topic),
          Protocol: 'sqs',
          Endpoint: queueArns.get(subscription.queue),
          Attributes: {
            FilterPolicy: JSON.stringify(subscription.filterPolicy),
            FilterPolicyScope: 'MessageBody',
            RawMessageDelivery: 'false',
          },
          ReturnSubscriptionArn: true,
        }),
      ),
    ),
  );
  return { queueUrls, topicArns };
}
