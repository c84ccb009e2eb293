import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import { type S3Event, s3Event } from '@totes/pipeline';

/**
 * Announces an object that is already stored as if it had just been written.
 *
 * A stage that finds its output in place (a run that crashed between the write and its
 * notification) tells the next stage again, so a lost notification is healed at once rather than at
 * the next reconciliation. The next stage does nothing for an object whose result it already has.
 */
export interface ObjectAnnouncer {
  announce(bucket: string, key: string): Promise<void>;
}

/** The SNS message S3 publishes for an event: the event JSON, subject "Amazon S3 Notification". */
export function s3NotificationMessage(topicArn: string, event: S3Event): PublishCommandInput {
  return { TopicArn: topicArn, Subject: 'Amazon S3 Notification', Message: JSON.stringify(event) };
}

/**
 * {@link ObjectAnnouncer} that publishes an object's ObjectCreated event, exactly as S3 does.
 *
 * The event, its size and ETag read with HeadObject, goes to `topicArn`, the topic the object's
 * bucket notifies.
 */
export function snsObjectAnnouncer(options: {
  readonly s3: Pick<S3Client, 'send'>;
  readonly sns: Pick<SNSClient, 'send' | 'config'>;
  readonly topicArn: string;
  /** The region the event names; default: the SNS client's. */
  readonly region?: string;
  readonly now?: () => Date;
}): ObjectAnnouncer {
  const now = options.now ?? (() => new Date());
  let sequence = 0;
  return {
    async announce(bucket, key) {
      const head = await options.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const eventTime = now();
      sequence += 1;
      const event = s3Event(
        {
          bucket,
          key,
          size: head.ContentLength ?? 0,
          eTag: head.ETag ?? '',
          region: options.region ?? (await options.sns.config.region()),
          eventTime,
          sequencer: (eventTime.getTime() * 1000 + (sequence % 1000)).toString(16).toUpperCase(),
        },
        'totes-announce',
      );
      await options.sns.send(new PublishCommand(s3NotificationMessage(options.topicArn, event)));
    },
  };
}
