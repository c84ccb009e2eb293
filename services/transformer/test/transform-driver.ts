import { gzipSync, zstdCompressSync } from 'node:zlib';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { lambdaSqsEvent } from '@totes/local';
import { ingestCompressionOf, type ObjectCreated, s3Event, type TargetTableName } from '@totes/pipeline';
import { type ObjectStore, s3ObjectStore } from '@totes/runtime';
import type { TestPipeline } from '@totes/test-harness';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { createTransformHandler } from '../src/create-transform-handler';
import type { TransformerDeps } from '../src/notification-processor';

/** What a handler logged, as plain data. */
export interface LogLine {
  readonly level: 'info' | 'warn' | 'error' | 'debug';
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

/** A logger that keeps its lines for the test to read. */
export function recordingLogger() {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: unknown, ...extra: unknown[]) =>
      lines.push({ level, message: String(message), fields: Object.assign({}, ...(extra as object[])) });
  return { lines, logger: { info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') } };
}

/**
 * Drives the transformer on the emulator as Lambda's SQS event source would: objects go into the
 * ingest bucket, their S3 notifications through the ingest topic to the filtered queues, and a
 * handler gets what it receives; messages it reports as failed stay on the queue.
 */
export function transformDriver(
  pipeline: () => TestPipeline,
  options: { readonly generation?: number } = {},
) {
  const ingest = (): ObjectStore => s3ObjectStore(pipeline().clients.s3, pipeline().names.ingestBucket);
  const processed = (): ObjectStore => s3ObjectStore(pipeline().clients.s3, pipeline().names.processedBucket);
  const log = recordingLogger();
  let sequence = 0;

  return {
    log: log.lines,
    deps(overrides: Partial<TransformerDeps> = {}): TransformerDeps {
      return {
        stores: { ingest: ingest(), processed: processed() },
        generation: options.generation ?? 1,
        logger: log.logger,
        ...overrides,
      };
    },
    handler(target: Exclude<TargetTableName, 'dim_date'>, overrides: Partial<TransformerDeps> = {}) {
      return createTransformHandler(target, this.deps(overrides));
    },

    /** Writes an ingest object and returns what its notification says about it. */
    /** Puts JSON Lines text as the extractor does: compressed as the key's ending says. */
    async put(key: string, text: string, metadata?: Record<string, string>): Promise<ObjectCreated> {
      const compression = ingestCompressionOf(key);
      const body =
        compression === 'zstd'
          ? zstdCompressSync(text)
          : compression === 'gzip'
            ? gzipSync(text)
            : Buffer.from(text);
      return this.putBytes(key, body, metadata);
    },

    /** Puts an object's bytes exactly as given. */
    async putBytes(key: string, body: Buffer, metadata?: Record<string, string>): Promise<ObjectCreated> {
      const { s3, names } = { s3: pipeline().clients.s3, names: pipeline().names };
      const { ETag } = await s3.send(
        new PutObjectCommand({
          Bucket: names.ingestBucket,
          Key: key,
          Body: body,
          ...(metadata ? { Metadata: metadata } : {}),
        }),
      );
      return {
        bucket: names.ingestBucket,
        key,
        size: body.length,
        eTag: (ETag ?? '').replace(/"/g, ''),
      };
    },

    /** The SNS envelope an SQS subscriber receives for a new object. */
    envelope(object: ObjectCreated): string {
      sequence += 1;
      const event = s3Event({
        ...object,
        region: pipeline().aws.region,
        eventTime: new Date(),
        sequencer: sequence.toString(16).padStart(16, '0'),
      });
      return JSON.stringify({
        Type: 'Notification',
        MessageId: `message-${sequence}`,
        TopicArn: `arn:aws:sns:${pipeline().aws.region}:000000000000:${pipeline().names.ingestTopic}`,
        Subject: 'Amazon S3 Notification',
        Message: JSON.stringify(event),
        Timestamp: new Date().toISOString(),
      });
    },

    /** An SQS event as Lambda delivers it, one record per body. */
    event(...bodies: string[]): SQSEvent {
      return {
        Records: bodies.map(
          (body, index): SQSRecord => ({
            messageId: `record-${index + 1}`,
            receiptHandle: `receipt-${index + 1}`,
            body,
            attributes: {
              ApproximateReceiveCount: '1',
              SentTimestamp: '0',
              SenderId: 'test',
              ApproximateFirstReceiveTimestamp: '0',
            },
            messageAttributes: {},
            md5OfBody: '',
            eventSource: 'aws:sqs',
            eventSourceARN: 'arn:aws:sqs:eu-west-2:000000000000:test',
            awsRegion: pipeline().aws.region,
          }),
        ),
      };
    },

    /** Announces a new ingest object on the ingest topic, as S3 event notifications do. */
    async announce(object: ObjectCreated): Promise<void> {
      const event = s3Event({
        ...object,
        region: pipeline().aws.region,
        eventTime: new Date(),
        sequencer: (++sequence).toString(16).padStart(16, '0'),
      });
      await pipeline().clients.sns.send(
        new PublishCommand({
          TopicArn: pipeline().provisioned.topicArns.get(pipeline().names.ingestTopic),
          Subject: 'Amazon S3 Notification',
          Message: JSON.stringify(event),
        }),
      );
    },

    /**
     * Receives up to ten messages from a queue, hands them to the handler as one batch and deletes
     * the ones it did not report as failed. Returns the handler's response and the records.
     */
    async deliver(
      queue: string,
      handler: (event: SQSEvent, context: never) => Promise<SQSBatchResponse>,
    ): Promise<{ readonly response: SQSBatchResponse; readonly records: readonly SQSRecord[] }> {
      const url = pipeline().queueUrl(queue);
      const { Messages = [] } = await pipeline().clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 2,
          MessageSystemAttributeNames: ['All'],
        }),
      );
      const { Records: records } = lambdaSqsEvent(Messages, queue, pipeline().aws.region);
      const response =
        records.length === 0
          ? { batchItemFailures: [] }
          : await handler({ Records: records }, undefined as never);
      const failed = new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier));
      for (const record of records) {
        if (!failed.has(record.messageId)) {
          await pipeline().clients.sqs.send(
            new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: record.receiptHandle }),
          );
        }
      }
      return { response, records };
    },

    /** A processed object's bytes, or undefined when it does not exist. */
    async processed(key: string): Promise<Uint8Array | undefined> {
      try {
        const { Body } = await pipeline().clients.s3.send(
          new GetObjectCommand({ Bucket: pipeline().names.processedBucket, Key: key }),
        );
        return Body ? await Body.transformToByteArray() : undefined;
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
        throw error;
      }
    },

    async removeProcessed(key: string): Promise<void> {
      await pipeline().clients.s3.send(
        new DeleteObjectCommand({ Bucket: pipeline().names.processedBucket, Key: key }),
      );
    },

    /** The processed keys under a prefix, in order. */
    async processedKeys(prefix: string): Promise<string[]> {
      const { Contents = [] } = await pipeline().clients.s3.send(
        new ListObjectsV2Command({ Bucket: pipeline().names.processedBucket, Prefix: prefix }),
      );
      return Contents.map((object) => object.Key ?? '').sort();
    },
  };
}
