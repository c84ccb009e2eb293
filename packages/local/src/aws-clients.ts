import { Agent } from 'node:http';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/** Where the AWS clients send requests. */
export interface AwsTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/** One client per service, all pointed at the same endpoint. */
export interface AwsClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  destroy(): void;
}

/**
 * Creates S3, SQS and SNS clients for an emulator endpoint.
 *
 * S3 is path-style, since the emulator has no per-bucket host names. The emulator accepts any
 * credentials.
 */
export function awsClients(target: AwsTarget): AwsClients {
  const config = {
    endpoint: target.endpoint,
    region: target.region,
    credentials: target.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' },
    // The local runners hold a long poll open per function and concurrency slot (about 50 at once);
    // with the SDK's default of 50 sockets, every other request would queue behind them.
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: 256 }) },
  };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  const sns = new SNSClient(config);
  return {
    s3,
    sqs,
    sns,
    destroy() {
      s3.destroy();
      sqs.destroy();
      sns.destroy();
    },
  };
}
