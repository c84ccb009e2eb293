import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ingestKey, objectsCreated, processedKey } from '@totes/pipeline';
import { captureOutput, coldStart, stubAwsEnvironment, useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { jsonLines, totesys } from './fixtures';
import { transformDriver } from './transform-driver';

const pipeline = useTestPipeline();
const driver = transformDriver(pipeline);
const entry = () => import('../src/handler');

const source = {
  kind: 'changes',
  table: 'sales_order',
  after: null,
  through: { lastUpdated: '2024-01-01 00:00:00.000', id: 3 },
} as const;

/** The environment infra gives the transformer of `target`, against this file's emulator. */
function environment(target: string) {
  const { names, provisioned } = pipeline();
  stubAwsEnvironment(pipeline().aws);
  return {
    TARGET_TABLE: target,
    INGEST_BUCKET: names.ingestBucket,
    PROCESSED_BUCKET: names.processedBucket,
    PROCESSED_TOPIC_ARN: provisioned.topicArns.get(names.processedTopic),
    S3_FORCE_PATH_STYLE: 'true',
  };
}

describe('a transformer built from its environment at cold start', () => {
  it('transforms with its real clients, logs JSON lines, and announces an output found written to its topic', async () => {
    const { names, clients, queueUrl } = pipeline();
    const { handler } = await coldStart(entry, environment('fact_sales_order'));
    const output = captureOutput();
    const transformQueue = names.queue('transform', 'fact_sales_order');
    const created = await driver.put(ingestKey(source), jsonLines(totesys.sales_order));

    await driver.announce(created);
    const first = await driver.deliver(transformQueue, handler as never);
    await driver.announce(created);
    const second = await driver.deliver(transformQueue, handler as never);

    expect(first.response.batchItemFailures).toEqual([]);
    expect(second.response.batchItemFailures).toEqual([]);
    const key = processedKey({ kind: 'rows', target: 'fact_sales_order', generation: 1, source });
    expect(await driver.processed(key)).toBeDefined();
    expect(output.lines()).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: 'transform written',
        service: 'transform-fact_sales_order',
        outputKey: key,
      }),
    );
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(names.queue('load', 'fact_sales_order')),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 2,
      }),
    );
    expect(
      Messages.flatMap((message) => objectsCreated(message.Body ?? '')).map((object) => object.key),
    ).toEqual([key]);
  });

  it('serves dim_date with the calendar handler, which writes the requested days', async () => {
    const { handler } = await coldStart(entry, environment('dim_date'));
    const output = captureOutput();

    const outcome = await handler({ from: '2024-01-01', to: '2024-01-31' }, {} as never);

    expect(outcome).toMatchObject({ status: 'written', rowsOut: 31 });
    expect(output.lines()).toContainEqual(
      expect.objectContaining({ message: 'transform written', service: 'transform-dim_date', rowsOut: 31 }),
    );
  });

  it('refuses a wrong or missing variable with a ConfigError naming each, not retryable', async () => {
    const failure = coldStart(entry, {
      TARGET_TABLE: 'customers',
      INGEST_BUCKET: undefined,
      PROCESSED_BUCKET: 'x',
      TRANSFORM_GENERATION: '0',
      S3_FORCE_PATH_STYLE: 'yes',
    });

    await expect(failure).rejects.toMatchObject({
      name: 'ConfigError',
      retryable: false,
      message: expect.stringMatching(
        /TARGET_TABLE: not a warehouse table[\s\S]*INGEST_BUCKET[\s\S]*PROCESSED_BUCKET[\s\S]*TRANSFORM_GENERATION[\s\S]*S3_FORCE_PATH_STYLE/,
      ),
    });
  });
});
