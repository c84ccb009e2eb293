import { S3Client } from '@aws-sdk/client-s3';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '@totes/local';

/**
 * Runs `work` with an S3 client of the stack in a data directory, started for it alone: through
 * the proxy that announces new objects (`announced`), or to the emulator itself, so that no
 * notification is sent (`silent`).
 */
export async function withStackS3<T>(
  options: LocalStackOptions,
  endpoint: 'announced' | 'silent',
  work: (s3: S3Client, stack: LocalStack) => Promise<T>,
): Promise<T> {
  const stack = await startLocalStack(options);
  const s3 = new S3Client({
    endpoint: endpoint === 'announced' ? stack.s3Endpoint : stack.awsEndpoint,
    region: stack.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await work(s3, stack);
  } finally {
    s3.destroy();
    await stack.stop();
  }
}
