import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import {
  extractMessage,
  givenUpKey,
  type StageName,
  s3Event,
  sourceTableNames,
  stateKey,
} from '@totes/pipeline';
import { useTestPipeline } from '@totes/test-harness';
import { beforeEach, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

/** Stands in for CloudWatch Logs: answers FilterLogEvents with the events given, and records the requests. */
function fakeCloudWatchLogs(
  eventsFor: (request: FilterRequest) => readonly { timestamp: number; message: string }[],
) {
  const requests: FilterRequest[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const parsed = JSON.parse(body) as FilterRequest;
      requests.push({ ...parsed, target: String(request.headers['x-amz-target']) });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ events: eventsFor(parsed), searchedLogStreams: [] }));
    });
  });
  return {
    requests,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () =>
          resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
        ),
      ),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface FilterRequest {
  readonly target?: string;
  readonly logGroupName: string;
  readonly filterPattern: string;
  readonly startTime?: number;
}

describe('totes dlq --aws, against the emulator posing as AWS', () => {
  const pipeline = useTestPipeline();
  // A secret that must never be printed, whatever the command says.
  const secretKey = 'wJalrXUtnFEMI-never-print-me';
  const env = (extra: NodeJS.ProcessEnv = {}) => ({
    AWS_ENDPOINT_URL: pipeline().aws.endpoint,
    AWS_REGION: pipeline().aws.region,
    AWS_ACCESS_KEY_ID: 'AKIATOTESTEST',
    AWS_SECRET_ACCESS_KEY: secretKey,
    ...extra,
  });
  const totes = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
    runTotes([...args, '--aws', pipeline().aws.prefix], env(extra));

  const sqs = () => pipeline().clients.sqs;
  const url = (name: string) => pipeline().queueUrl(name);
  const poisonKey = 'sales_order/changes/00000000T000000000-0000000000_20991231T235959999-0000000001.jsonl';

  async function deadLetter(
    stage: StageName,
    table: string,
    fields: { MessageBody: string } & Record<string, string>,
  ) {
    const names = pipeline().names;
    const { MessageId } = await sqs().send(
      new SendMessageCommand({ QueueUrl: url(names.deadLetterQueue(stage, table as never)), ...fields }),
    );
    if (!MessageId) throw new Error('SendMessage returned no id');
    return MessageId;
  }

  const poisonObject = () =>
    deadLetter('transform', 'fact_sales_order', {
      MessageBody: JSON.stringify(
        s3Event({
          bucket: pipeline().names.ingestBucket,
          key: poisonKey,
          size: 26,
          eTag: 'd41d8cd98f00b204e9800998ecf8427e',
          region: pipeline().aws.region,
          eventTime: new Date(),
          sequencer: '0A',
        }),
      ),
    });

  const extractRequest = (run: string) =>
    deadLetter(
      'extract',
      'sales_order',
      extractMessage({ mode: 'full', table: 'sales_order', run }, `dead-${run}`),
    );

  async function depth(name: string): Promise<{ visible: number; hidden: number }> {
    const { Attributes } = await sqs().send(
      new GetQueueAttributesCommand({
        QueueUrl: url(name),
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(Attributes?.ApproximateNumberOfMessages),
      hidden: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    };
  }

  /**
   * The messages a receive gets within three seconds (leaving them visible): a listing hides what
   * it reads, then lets it show again a second later.
   */
  async function receivable(name: string): Promise<number> {
    const { Messages } = await sqs().send(
      new ReceiveMessageCommand({
        QueueUrl: url(name),
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 3,
      }),
    );
    return Messages?.length ?? 0;
  }

  const warningsOf = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('warning: '));

  beforeEach(async () => {
    for (const queue of pipeline().resources.queues) {
      for (const name of [queue.name, queue.deadLetterQueue]) {
        await sqs().send(new PurgeQueueCommand({ QueueUrl: url(name) }));
      }
    }
  });

  it('lists each dead letter with its queue, stage, table, message id and subject, and leaves it in place', async () => {
    const poisonId = await poisonObject();
    const requestId = await extractRequest('20240101T000000000');

    const run = await totes(['dlq', '--json']);

    expect(run.code).toBe(0);
    const { deadLetters } = JSON.parse(run.stdout);
    expect(deadLetters).toEqual(
      expect.arrayContaining([
        {
          queue: pipeline().names.deadLetterQueue('transform', 'fact_sales_order'),
          stage: 'transform',
          table: 'fact_sales_order',
          messageId: poisonId,
          subject: poisonKey,
          attempts: null,
        },
        expect.objectContaining({
          queue: pipeline().names.deadLetterQueue('extract', 'sales_order'),
          stage: 'extract',
          table: 'sales_order',
          messageId: requestId,
          subject: expect.stringContaining('"run":"20240101T000000000"'),
        }),
      ]),
    );
    expect(deadLetters).toHaveLength(2);
    // Looking is not taking: both show again (within a second), for the next command or operator.
    expect(await receivable(pipeline().names.deadLetterQueue('transform', 'fact_sales_order'))).toBe(1);
    expect(await receivable(pipeline().names.deadLetterQueue('extract', 'sales_order'))).toBe(1);
  });

  it('still lists when CloudWatch Logs cannot be read, with one warning and the attempts unknown', async () => {
    await poisonObject();
    await poisonObject();
    await extractRequest('20240102T000000000');

    const run = await totes(['dlq']);

    expect(run.code).toBe(0);
    const warnings = warningsOf(run.stderr);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/attempts and errors unknown: could not read CloudWatch Logs \(.+\)/);
    expect(run.stderr).not.toMatch(/totes: /);
    const [letters = '', counts = ''] = run.stdout.trim().split('\n\n');
    const lines = letters.split('\n');
    expect(lines[0]).toMatch(/^queue\s+message id\s+attempts\s+subject\s+last error$/);
    expect(counts.split('\n')[0]).toMatch(/^DLQ\s+messages\s+visible\s+in flight\s+delayed\s+listed$/);
    expect(lines.filter((line) => line.includes(poisonKey))).toHaveLength(2);
    expect(lines.slice(1).every((line) => /\s\?\s/.test(line) && line.includes('(logs not readable)'))).toBe(
      true,
    );
    expect(`${run.stdout}${run.stderr}`).not.toContain(secretKey);
  });

  it("reads the attempts and the last error from the function's log group", async () => {
    const poisonId = await poisonObject();
    const requestId = await extractRequest('20240103T000000000');
    const failed = (error: string, receiveCount: number) =>
      JSON.stringify({
        level: 'ERROR',
        message: 'message failed',
        service: 'transform-fact_sales_order',
        messageId: poisonId,
        receiveCount,
        error: { name: 'TransformError', message: error },
      });
    const logs = fakeCloudWatchLogs((request) =>
      request.filterPattern.includes(poisonId)
        ? [
            // Out of order on purpose, and one with the prefix Lambda's text format adds.
            { timestamp: 3_000, message: failed('line 1: not JSON (third try)', 3) },
            { timestamp: 1_000, message: `2024-01-03T00:00:01Z\tabc\tERROR\t${failed('first try', 1)}` },
            { timestamp: 2_000, message: failed('second try', 2) },
          ]
        : [],
    );
    const endpoint = await logs.start();
    try {
      const run = await totes(['dlq', '--json'], { AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: endpoint });

      expect(run.code).toBe(0);
      expect(warningsOf(run.stderr)).toEqual([]);
      const letters = JSON.parse(run.stdout).deadLetters as { messageId: string }[];
      expect(letters.find((letter) => letter.messageId === poisonId)).toMatchObject({
        attempts: 3,
        error: 'TransformError: line 1: not JSON (third try)',
      });
      expect(letters.find((letter) => letter.messageId === requestId)).toMatchObject({ attempts: 0 });
      const names = pipeline().names;
      const asked = logs.requests.find((request) => request.filterPattern.includes(poisonId));
      expect(asked).toMatchObject({
        target: 'Logs_20140328.FilterLogEvents',
        logGroupName: `/aws/lambda/${names.functionName('transform', 'fact_sales_order')}`,
      });
      expect(asked?.filterPattern).toContain('$.message = "message failed"');
      expect(asked?.startTime).toBeLessThan(Date.now() - 23 * 3600 * 1000);
      expect(logs.requests.map((request) => request.logGroupName)).toContain(
        `/aws/lambda/${names.functionName('extract', 'sales_order')}`,
      );
    } finally {
      await logs.stop();
    }
  });

  it('redrives a whole DLQ back to its source queue, moving messages itself when StartMessageMoveTask is unavailable', async () => {
    const poisonId = await poisonObject();
    const names = pipeline().names;

    const run = await totes(['dlq', 'redrive', '--table', 'fact_sales_order', '--json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ action: 'redrive', messages: 1 });
    expect(warningsOf(run.stderr)).toEqual([
      expect.stringMatching(
        /StartMessageMoveTask is not available \(InvalidAction.*\): moving messages one at a time/,
      ),
    ]);
    expect(await depth(names.deadLetterQueue('transform', 'fact_sales_order'))).toEqual({
      visible: 0,
      hidden: 0,
    });
    const { Messages } = await sqs().send(
      new ReceiveMessageCommand({
        QueueUrl: url(names.queue('transform', 'fact_sales_order')),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages?.[0]?.Body).toContain(poisonKey);
    expect(Messages?.[0]?.MessageId).not.toBe(poisonId);
  });

  it('redrives only the chosen messages of a FIFO DLQ, in their group, leaves the others visible and names ids it did not find', async () => {
    const chosen = await extractRequest('20240104T000000000');
    await extractRequest('20240104T000000001');
    const names = pipeline().names;

    const run = await totes([
      'dlq',
      'redrive',
      '--stage',
      'extract',
      '--message-id',
      chosen,
      'no-such-message',
      '--json',
    ]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      action: 'redrive',
      messages: 1,
      warnings: ['no dead letter no-such-message in the selected DLQs'],
    });
    expect(warningsOf(run.stderr)).toEqual(['warning: no dead letter no-such-message in the selected DLQs']);
    expect(await receivable(names.deadLetterQueue('extract', 'sales_order'))).toBe(1);
    const { Messages } = await sqs().send(
      new ReceiveMessageCommand({
        QueueUrl: url(names.queue('extract', 'sales_order')),
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['MessageGroupId'],
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(JSON.parse(Messages?.[0]?.Body ?? '{}')).toMatchObject({ run: '20240104T000000000' });
    expect(Messages?.[0]?.Attributes?.MessageGroupId).toBe('sales_order');
  });

  it('reports the true counts of a FIFO DLQ beside the messages SQS let it list, as status counts them', async () => {
    const names = pipeline().names;
    const dlq = names.deadLetterQueue('extract', 'sales_order');
    // Three dead letters in one message group (the table's): a receive hands out only part of a
    // group while the rest of it is in flight (the emulator one message, SQS up to ten).
    for (const run of ['20240106T000000000', '20240106T000000001', '20240106T000000002']) {
      await extractRequest(run);
    }

    const run = await totes(['dlq', '--json']);

    expect(run.code).toBe(0);
    const { deadLetters, queues } = JSON.parse(run.stdout);
    expect(deadLetters).toHaveLength(1);
    expect(queues).toEqual([
      {
        queue: dlq,
        stage: 'extract',
        // The extract DLQ holds every table's requests.
        table: 'all',
        messages: 3,
        visible: 3,
        inFlight: 0,
        delayed: 0,
        listed: 1,
      },
    ]);
    const status = JSON.parse((await totes(['status', '--json'])).stdout);
    expect(status.queues).toContainEqual(
      expect.objectContaining({ queue: names.queue('extract', 'sales_order'), deadLetters: 3 }),
    );

    const text = await totes(['dlq']);
    expect(text.stdout).toMatch(new RegExp(`^${dlq.replace(/\./g, '\\.')}\\s+3\\s+3\\s+0\\s+0\\s+1$`, 'm'));
    expect(text.stdout).toContain(
      `${dlq}: 2 of its 3 message(s) could not be listed now (SQS shows at most ten messages of a FIFO message group at a time)`,
    );
  });

  it('refuses to purge without --yes, and deletes the dead letters with it', async () => {
    await poisonObject();
    await extractRequest('20240105T000000000');
    const names = pipeline().names;

    const refused = await totes(['dlq', 'purge']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('add --yes to confirm');
    expect(await depth(names.deadLetterQueue('transform', 'fact_sales_order'))).toEqual({
      visible: 1,
      hidden: 0,
    });

    const purged = await totes(['dlq', 'purge', '--yes', '--json']);
    expect(purged.code).toBe(0);
    expect(JSON.parse(purged.stdout)).toEqual({ action: 'purge', messages: 2 });
    expect(await depth(names.deadLetterQueue('transform', 'fact_sales_order'))).toEqual({
      visible: 0,
      hidden: 0,
    });
    expect(await depth(names.deadLetterQueue('extract', 'sales_order'))).toEqual({ visible: 0, hidden: 0 });
    expect(JSON.parse((await totes(['dlq', '--json'])).stdout).deadLetters).toEqual([]);
    // The purged object is given up: reconciliation will not send it to its stage again.
    const marker = await pipeline().clients.s3.send(
      new HeadObjectCommand({ Bucket: names.ingestBucket, Key: givenUpKey('transform', poisonKey) }),
    );
    expect(marker.$metadata.httpStatusCode).toBe(200);
  });

  it('shows the depth of every queue and DLQ with status --aws', async () => {
    await poisonObject();
    const names = pipeline().names;
    await sqs().send(
      new SendMessageCommand({ QueueUrl: url(names.queue('load', 'dim_staff')), MessageBody: '{}' }),
    );

    const run = await totes(['status', '--json']);

    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.aws).toEqual({ environment: pipeline().aws.prefix, region: pipeline().aws.region });
    expect(status.queues).toHaveLength(pipeline().resources.queues.length);
    expect(status.queues).toContainEqual(
      expect.objectContaining({
        queue: names.queue('load', 'dim_staff'),
        visible: 1,
        inFlight: 0,
        deadLetters: 0,
      }),
    );
    expect(status.queues).toContainEqual(
      expect.objectContaining({
        queue: names.queue('transform', 'fact_sales_order'),
        visible: 0,
        deadLetters: 1,
      }),
    );
  });

  it('shows with status --aws where each extraction stands, from the state in the ingest bucket', async () => {
    const { ingestBucket } = pipeline().names;
    const saveState = (table: string, body: string) =>
      pipeline().clients.s3.send(
        new PutObjectCommand({ Bucket: ingestBucket, Key: stateKey(table as never), Body: body }),
      );
    await saveState(
      'sales_order',
      JSON.stringify({
        watermark: { lastUpdated: '2026-11-28 05:59:58.123', id: 42 },
        sweep: { bucketRows: 1000, hashes: [], run: '20261128T040000000', afterBucket: 0 },
      }),
    );
    await saveState(
      'purchase_order',
      JSON.stringify({ initial: { horizon: '2026-11-28 06:00:00.000', afterId: 5000 } }),
    );
    await saveState(
      'currency',
      JSON.stringify({ snapshot: { key: 'currency/snapshots/x.jsonl.gz', hash: 'ab' } }),
    );
    await saveState('payment', '{"watermark": "yesterday"}');
    await saveState('transaction', 'not json');

    const json = await totes(['status', '--json']);
    const human = await totes(['status']);

    expect(json.code).toBe(0);
    const byTable = new Map(
      (JSON.parse(json.stdout).extraction as { table: string }[]).map((progress) => [
        progress.table,
        progress,
      ]),
    );
    expect(byTable.size).toBe(sourceTableNames.length);
    expect(byTable.get('sales_order')).toEqual({
      table: 'sales_order',
      kind: 'event',
      stateSavedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      extractedUpTo: '2026-11-28 05:59:58.123',
      extractedUpToId: 42,
      firstExtraction: null,
      fullRun: null,
      snapshot: null,
      lastSweep: '20261128T040000000',
      problem: null,
    });
    expect(byTable.get('purchase_order')).toMatchObject({
      extractedUpTo: null,
      firstExtraction: { horizon: '2026-11-28 06:00:00.000', afterId: 5000 },
    });
    expect(byTable.get('currency')).toMatchObject({
      kind: 'reference',
      snapshot: 'currency/snapshots/x.jsonl.gz',
    });
    expect(byTable.get('staff')).toMatchObject({ stateSavedAt: null, extractedUpTo: null, problem: null });
    expect(byTable.get('payment')).toMatchObject({
      problem: expect.stringContaining('is malformed (watermark'),
    });
    expect(byTable.get('transaction')).toMatchObject({ problem: expect.stringContaining('is not JSON') });
    expect(human.code).toBe(0);
    const line = (table: string) => human.stdout.split('\n').find((row) => row.startsWith(`${table} `)) ?? '';
    expect(line('sales_order')).toContain(
      'rows up to 2026-11-28 05:59:58.123; last sweep 20261128T040000000',
    );
    expect(line('purchase_order')).toContain(
      'first extraction: rows before 2026-11-28 06:00:00.000, up to id 5000',
    );
    expect(line('currency')).toContain('snapshot currency/snapshots/x.jsonl.gz');
    expect(line('staff')).toContain('not extracted yet');
    expect(line('sales_order')).toMatch(/ \d+\.\d s ago$/);
    expect(line('transaction')).toContain('? (s3://');
  });

  it('still shows the queues with status --aws when the extraction state cannot be read, saying why', async () => {
    // S3 alone unreachable (nothing listens on port 9 here): SQS answers, the bucket does not.
    const run = await totes(['status', '--json'], {
      AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });

    expect(run.code).toBe(0);
    const status = JSON.parse(run.stdout);
    expect(status.queues).toHaveLength(pipeline().resources.queues.length);
    for (const progress of status.extraction) {
      expect(progress.problem).toMatch(/^could not read s3:\/\/\S+\/_state\/extract\/[a-z_]+\.json: /);
    }
    expect(`${run.stdout}${run.stderr}`).not.toContain(secretKey);
  });

  it('fails with a message to act on when the environment is not deployed there', async () => {
    const run = await runTotes(['dlq', '--aws', 'nowhere', '--json'], env());
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).error).toMatch(
      /queue nowhere-.+ does not exist in .+: is the environment "nowhere" deployed there\?/,
    );
  });

  it('refuses --aws together with a local stack option, and an unusable environment name', async () => {
    const both = await runTotes(['dlq', '--aws', 'prod', '--data-dir', '/tmp/x'], env());
    expect(both.code).not.toBe(0);
    expect(both.stderr).toMatch(
      /--aws.*cannot be used with.*--data-dir|--data-dir.*cannot be used with.*--aws/,
    );
    const invalid = await runTotes(['dlq', '--aws', 'Prod_1'], env());
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toContain('must be 1–20 characters');
  });
});
