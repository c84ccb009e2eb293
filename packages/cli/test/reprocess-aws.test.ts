import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, PurgeQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ExtractRequest, objectsCreated, parseIngestKey, processedKey } from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { beforeEach, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

describe('totes reprocess --aws, against the emulator posing as AWS', () => {
  const pipeline = useTestPipeline();
  // A secret that must never be printed, whatever the command says.
  const secretKey = 'wJalrXUtnFEMI-reprocess-never-print-me';
  const totes = (
    args: readonly string[],
    environment = pipeline().aws.prefix,
    extra: NodeJS.ProcessEnv = {},
  ) =>
    runTotes(['reprocess', ...args, '--aws', environment], {
      AWS_ENDPOINT_URL: pipeline().aws.endpoint,
      AWS_REGION: pipeline().aws.region,
      AWS_ACCESS_KEY_ID: 'AKIATOTESTEST',
      AWS_SECRET_ACCESS_KEY: secretKey,
      ...extra,
    });

  const sqs = () => pipeline().clients.sqs;
  const url = (name: string) => pipeline().queueUrl(name);

  /** Takes every message a queue holds (waiting a little for the first). */
  async function drain(name: string): Promise<string[]> {
    const bodies: string[] = [];
    for (;;) {
      const { Messages = [] } = await sqs().send(
        new ReceiveMessageCommand({
          QueueUrl: url(name),
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: bodies.length === 0 ? 2 : 0,
        }),
      );
      if (Messages.length === 0) return bodies;
      for (const message of Messages) {
        bodies.push(message.Body ?? '');
        await sqs().send(
          new DeleteMessageCommand({ QueueUrl: url(name), ReceiptHandle: message.ReceiptHandle }),
        );
      }
    }
  }

  const put = (bucket: string, key: string) =>
    pipeline().clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: `{"key":"${key}"}\n` }),
    );

  beforeEach(async () => {
    for (const queue of pipeline().resources.queues) {
      await sqs().send(new PurgeQueueCommand({ QueueUrl: url(queue.name) }));
    }
  });

  it("asks for a full re-extraction of a warehouse table's inputs in the deployment's extract queue", async () => {
    const run = await totes(['fact_sales_order', '--json']);

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result).toEqual({
      from: 'extract',
      tables: ['sales_order'],
      run: expect.stringMatching(/^\d{8}T\d{9}$/),
    });
    const bodies = await drain(pipeline().names.queue('extract', 'sales_order'));
    expect(bodies.map((body) => ExtractRequest.parse(JSON.parse(body)))).toEqual([
      expect.objectContaining({ mode: 'full', table: 'sales_order', run: result.run }),
    ]);
    expect(await drain(pipeline().names.queue('extract', 'payment'))).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(secretKey);
  });

  it("re-sends the events of a table's ingest objects into its transform queue, from the deployment's bucket", async () => {
    const { ingestBucket } = pipeline().names;
    const keys = [
      'sales_order/changes/20240101T000000000-0000000000_20240101T000001000-0000000002.jsonl.gz',
      'sales_order/initial/20240101T000000000/0000000001-0000000009.jsonl.gz',
    ];
    for (const key of keys) await put(ingestBucket, key);
    await put(
      ingestBucket,
      'payment/changes/20240101T000000000-0000000000_20240101T000001000-0000000002.jsonl.gz',
    );

    const run = await totes(['fact_sales_order', '--from', 'transform']);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Re-queued the events of 2 objects of ${ingestBucket}`);
    expect(run.stdout).toContain(`The functions of ${pipeline().aws.prefix} (${pipeline().aws.region})`);
    const events = (await drain(pipeline().names.queue('transform', 'fact_sales_order'))).flatMap(
      objectsCreated,
    );
    expect(events.map((event) => [event.bucket, event.key]).sort()).toEqual(
      keys.map((key) => [ingestBucket, key]),
    );
  });

  it('re-sends the latest generation of each processed object into the load queue', async () => {
    const { processedBucket } = pipeline().names;
    const source = parseIngestKey(
      'sales_order/changes/20240101T000000000-0000000000_20240101T000001000-0000000002.jsonl.gz',
    );
    const keyOf = (generation: number) =>
      processedKey({ kind: 'rows', target: 'fact_sales_order', generation, source });
    for (const generation of [1, 2]) await put(processedBucket, keyOf(generation));

    const run = await totes(['fact_sales_order', '--from', 'load', '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      from: 'load',
      table: 'fact_sales_order',
      queue: pipeline().names.queue('load', 'fact_sales_order'),
      objects: 1,
    });
    const events = (await drain(pipeline().names.queue('load', 'fact_sales_order'))).flatMap(objectsCreated);
    expect(events.map((event) => event.key)).toEqual([keyOf(2)]);
  });

  it('says what to check when the environment is not deployed there, and sends nothing', async () => {
    const run = await totes(['fact_sales_order'], 'nowhere');

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /queue nowhere-\S+ does not exist in .+: is the environment "nowhere" deployed there\?/,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain(secretKey);
    expect(await drain(pipeline().names.queue('extract', 'sales_order'))).toEqual([]);
  });

  it('says which bucket it could not list, and sends nothing', async () => {
    // S3 alone unreachable (nothing listens on port 9 here); the queues are still found.
    const run = await totes(['fact_sales_order', '--from', 'transform'], pipeline().aws.prefix, {
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `could not list s3://${pipeline().names.ingestBucket} in ${pipeline().aws.region}: `,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain(secretKey);
    expect(await drain(pipeline().names.queue('transform', 'fact_sales_order'))).toEqual([]);
  });

  it('refuses --aws with a local data directory', async () => {
    const run = await runTotes(['reprocess', 'fact_sales_order', '--aws', 'prod', '--data-dir', '/tmp/x']);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--aws .*cannot be used with option '--data-dir/);
  });
});
