import { z } from 'zod';
import { PipelineError } from './pipeline-error';

/**
 * One record of an S3 event notification, in the exact JSON shape S3 sends.
 *
 * See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html.
 * Object keys arrive URL-encoded (a space as `+`).
 */
export const S3EventRecord = z.object({
  eventVersion: z.string(),
  eventSource: z.literal('aws:s3'),
  awsRegion: z.string(),
  eventTime: z.string(),
  eventName: z.string(),
  userIdentity: z.object({ principalId: z.string() }),
  requestParameters: z.object({ sourceIPAddress: z.string() }),
  responseElements: z.object({ 'x-amz-request-id': z.string(), 'x-amz-id-2': z.string() }),
  s3: z.object({
    s3SchemaVersion: z.string(),
    configurationId: z.string(),
    bucket: z.object({
      name: z.string(),
      ownerIdentity: z.object({ principalId: z.string() }),
      arn: z.string(),
    }),
    object: z.object({
      key: z.string(),
      size: z.number().int().nonnegative(),
      eTag: z.string(),
      versionId: z.string().optional(),
      sequencer: z.string(),
    }),
  }),
});
export type S3EventRecord = z.infer<typeof S3EventRecord>;

/** An S3 event notification. */
export const S3Event = z.object({ Records: z.array(S3EventRecord) });
export type S3Event = z.infer<typeof S3Event>;

/** The message S3 sends once when notifications are configured; it carries no object. */
export const S3TestEvent = z
  .object({ Service: z.literal('Amazon S3'), Event: z.literal('s3:TestEvent') })
  .loose();

/**
 * The SNS envelope an SQS subscriber receives (raw message delivery off).
 *
 * The S3 event is the JSON string in `Message`.
 */
export const SnsEnvelope = z
  .object({
    Type: z.literal('Notification'),
    MessageId: z.string(),
    TopicArn: z.string(),
    Subject: z.string().optional(),
    Message: z.string(),
    Timestamp: z.string(),
  })
  .loose();
export type SnsEnvelope = z.infer<typeof SnsEnvelope>;

/** A new object, as the pipeline's stages see it. */
export interface ObjectCreated {
  readonly bucket: string;
  /** The decoded key. */
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
}

/** Encodes a key the way S3 writes it into event notifications. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+');
}

/** Decodes a key from an S3 event notification. */
export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * An invalid S3 notification; retrying cannot help.
 *
 * The message is named so the person reading the DLQ can act.
 */
export class NotificationError extends PipelineError {
  override readonly name = 'NotificationError';

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, { ...options, retryable: false });
  }
}

/**
 * Reads the objects created from an SQS message body that carries an S3 notification.
 *
 * Through SNS, or directly, as re-queued by reprocessing. The S3 test event yields no objects.
 */
export function objectsCreated(body: string): readonly ObjectCreated[] {
  let message: unknown;
  try {
    message = JSON.parse(body);
    const envelope = SnsEnvelope.safeParse(message);
    if (envelope.success) message = JSON.parse(envelope.data.Message);
  } catch (error) {
    throw new NotificationError(`the message body is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (S3TestEvent.safeParse(message).success) return [];
  const event = S3Event.safeParse(message);
  if (!event.success) {
    throw new NotificationError(
      `the message is not an S3 event notification: ${z.prettifyError(event.error)}`,
    );
  }
  return event.data.Records.filter((record) => record.eventName.startsWith('ObjectCreated:')).map(
    (record) => ({
      bucket: record.s3.bucket.name,
      key: decodeEventKey(record.s3.object.key),
      size: record.s3.object.size,
      eTag: record.s3.object.eTag,
    }),
  );
}

/** What {@link s3Event} needs to know of a new object. */
export interface NewObject {
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly region: string;
  readonly eventTime: Date;
  /** Orders events for the same key; S3 uses a hex string that grows. */
  readonly sequencer: string;
  readonly eventName?: 'ObjectCreated:Put' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectCreated:Copy';
}

/** Builds the notification S3 sends for a new object (for local fan-out and reprocessing). */
export function s3Event(object: NewObject, configurationId = 'totes-object-created'): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: object.region,
        eventTime: object.eventTime.toISOString(),
        eventName: object.eventName ?? 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:totes-local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': object.sequencer, 'x-amz-id-2': object.sequencer },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId,
          bucket: {
            name: object.bucket,
            ownerIdentity: { principalId: 'totes-local' },
            arn: `arn:aws:s3:::${object.bucket}`,
          },
          object: {
            key: encodeEventKey(object.key),
            size: object.size,
            eTag: object.eTag.replace(/"/g, ''),
            sequencer: object.sequencer,
          },
        },
      },
    ],
  };
}
