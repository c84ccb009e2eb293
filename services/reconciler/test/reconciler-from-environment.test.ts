import { PutObjectCommand } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { migrateWarehouse } from '@totes/loader';
import { ingestKey, objectsCreated, reconcileGraceSeconds } from '@totes/pipeline';
import { connectPostgres } from '@totes/runtime/database';
import {
  captureOutput,
  coldStart,
  emulatorAccount,
  stubAwsEnvironment,
  useTestDatabase,
  useTestPipeline,
} from '@totes/test-harness';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const pipeline = useTestPipeline();
const database = useTestDatabase('reconciler');
const entry = () => import('../src/handler');

beforeAll(async () => {
  const client = await connectPostgres(database.url, { statementTimeoutMs: 30_000, applicationName: 'test' });
  try {
    await migrateWarehouse(client);
  } finally {
    await client.end();
  }
});

/** The environment infra gives the reconciler, against this file's emulator and warehouse. */
function environment() {
  const { aws } = pipeline();
  return {
    ENVIRONMENT: aws.prefix,
    AWS_REGION: aws.region,
    ACCOUNT_ID: emulatorAccount,
    // The emulator's own queue URLs name a host no URL parser accepts; it answers at its endpoint.
    QUEUE_URL_PREFIX: `${aws.endpoint}/${emulatorAccount}/`,
    WAREHOUSE_URL: database.url,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

describe('the reconciler built from its environment at cold start', () => {
  it('finds an object its stage never consumed and queues it again, with its real clients, without the password', async () => {
    const { aws, clients, names, queueUrl } = pipeline();
    const key = ingestKey({
      kind: 'changes',
      table: 'sales_order',
      after: null,
      through: { lastUpdated: '2024-11-04 09:15:02.345', id: 1 },
    });
    await clients.s3.send(new PutObjectCommand({ Bucket: names.ingestBucket, Key: key, Body: 'rows' }));
    stubAwsEnvironment(aws);
    const { handler } = await coldStart(entry, environment());
    const output = captureOutput();

    // Run as if later than the transform stage may take, so the object counts as lost.
    vi.useFakeTimers({
      toFake: ['Date'],
      now: Date.now() + (reconcileGraceSeconds('transform') + 60) * 1000,
    });
    const outcome = await handler().finally(() => vi.useRealTimers());

    const transformQueue = names.queue('transform', 'fact_sales_order');
    expect(outcome).toMatchObject({ objects: 1, requeued: { [transformQueue]: 1 } });
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(transformQueue),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(
      Messages.flatMap((message) => objectsCreated(message.Body ?? '')).map((object) => object.key),
    ).toEqual([key]);
    expect(output.lines()).toContainEqual(
      expect.objectContaining({ level: 'INFO', message: 'reconciled', service: 'reconcile', objects: 1 }),
    );
    expect(output.text()).not.toContain(new URL(database.url).password);
  });

  it('refuses a wrong or missing variable with a ConfigError naming each, not retryable, without the password', async () => {
    const failure = coldStart(entry, {
      ...environment(),
      ACCOUNT_ID: '42',
      QUEUE_URL_PREFIX: 'https://sqs.eu-west-2.amazonaws.com/1',
      WAREHOUSE_URL: undefined,
      WAREHOUSE_SECRET_ARN: undefined,
    });

    await expect(failure).rejects.toMatchObject({
      name: 'ConfigError',
      retryable: false,
      message: expect.stringMatching(
        /ACCOUNT_ID[\s\S]*QUEUE_URL_PREFIX: expected a URL ending in \/[\s\S]*WAREHOUSE_URL/,
      ),
    });
    await expect(failure).rejects.not.toMatchObject({
      message: expect.stringContaining(new URL(database.url).password),
    });
  });
});
