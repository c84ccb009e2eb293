import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ingestKey, objectsCreated, processedKey } from '@totes/pipeline';
import { snsObjectAnnouncer } from '@totes/runtime';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { jsonLines, totesys } from './fixtures';
import { transformDriver } from './transform-driver';

const pipeline = useTestPipeline();
const driver = transformDriver(pipeline);

const source = {
  kind: 'changes',
  table: 'sales_order',
  after: null,
  through: { lastUpdated: '2024-01-01 00:00:00.000', id: 3 },
} as const;

describe('a transformer that finds its output already written', () => {
  it('announces it again to the processed-events topic, so its loader hears of it', async () => {
    const { names, clients, provisioned, queueUrl } = pipeline();
    const announcer = snsObjectAnnouncer({
      s3: clients.s3,
      sns: clients.sns,
      topicArn: provisioned.topicArns.get(names.processedTopic) ?? '',
    });
    const handler = driver.handler('fact_sales_order', { announcer });
    const transformQueue = names.queue('transform', 'fact_sales_order');
    const created = await driver.put(ingestKey(source), jsonLines(totesys.sales_order));
    await driver.announce(created);
    await driver.deliver(transformQueue, handler);
    // The write's own notification is lost here: nothing fans the processed bucket out in this
    // test. The same event again finds the output written, and announces it.
    await driver.announce(created);
    const { response } = await driver.deliver(transformQueue, handler);
    expect(response.batchItemFailures).toEqual([]);

    const output = processedKey({ kind: 'rows', target: 'fact_sales_order', generation: 1, source });
    const { Messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl(names.queue('load', 'fact_sales_order')),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 2,
      }),
    );
    expect(Messages.flatMap((message) => objectsCreated(message.Body ?? ''))).toEqual([
      { bucket: names.processedBucket, key: output, size: expect.any(Number), eTag: expect.any(String) },
    ]);
    expect(driver.log.find((line) => line.message === 'transform exists')?.fields).toMatchObject({
      outputKey: output,
      announcedAgain: true,
    });
  });
});
