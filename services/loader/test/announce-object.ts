import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { s3Event } from '@totes/pipeline';
import type { TestPipeline } from '@totes/test-harness';

/** Writes an object into the processed bucket and announces it as S3 would (through SNS). */
export async function announceObject(pipeline: TestPipeline, key: string, bytes: Uint8Array): Promise<void> {
  const { clients, names, provisioned, aws } = pipeline;
  const put = await clients.s3.send(
    new PutObjectCommand({ Bucket: names.processedBucket, Key: key, Body: bytes }),
  );
  const event = s3Event({
    bucket: names.processedBucket,
    key,
    size: bytes.byteLength,
    eTag: put.ETag ?? '',
    region: aws.region,
    eventTime: new Date(),
    sequencer: Date.now().toString(16),
  });
  await clients.sns.send(
    new PublishCommand({
      TopicArn: provisioned.topicArns.get(names.processedTopic),
      Message: JSON.stringify(event),
    }),
  );
}
