import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * The S3, SQS and SNS clients of a function.
 *
 * Endpoints come from the SDK's standard settings (`AWS_ENDPOINT_URL`, region, credentials), so the
 * same code talks to AWS or to the local emulator; only path-style addressing is chosen here,
 * because the emulator needs it.
 */
export function createAwsClients(options: { readonly forcePathStyle: boolean }): {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
} {
  return {
    s3: new S3Client({ forcePathStyle: options.forcePathStyle }),
    sqs: new SQSClient({}),
    sns: new SNSClient({}),
  };
}
