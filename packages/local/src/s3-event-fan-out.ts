import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { s3Event } from '@totes/pipeline';
import { s3NotificationMessage } from '@totes/runtime';
import type { CreatedObject } from './s3-notification-proxy';

/**
 * Publishes the S3 event notification of a new object to the topic its bucket notifies, as S3 does in AWS.
 *
 * The event JSON as the SNS message, subject "Amazon S3 Notification".
 */
export function s3EventFanOut(options: {
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly region: string;
  /** bucket → topic ARN */
  readonly topicOfBucket: ReadonlyMap<string, string>;
}): (object: CreatedObject) => Promise<void> {
  let sequence = 0n;
  return async (object) => {
    const topicArn = options.topicOfBucket.get(object.bucket);
    if (!topicArn) return;
    const head = await options.s3.send(new HeadObjectCommand({ Bucket: object.bucket, Key: object.key }));
    sequence += 1n;
    const event = s3Event({
      bucket: object.bucket,
      key: object.key,
      size: head.ContentLength ?? 0,
      eTag: head.ETag ?? '',
      region: options.region,
      eventTime: new Date(),
      sequencer: sequence.toString(16).toUpperCase().padStart(16, '0'),
      eventName: object.eventName,
    });
    await options.sns.send(new PublishCommand(s3NotificationMessage(topicArn, event)));
  };
}
