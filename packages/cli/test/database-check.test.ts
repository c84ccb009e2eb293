import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { startLocalStack } from '@totes/local';
import { extractMessage } from '@totes/pipeline';
import { useTestDatabase } from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

const wrongPassword = 'not-the-password-7f3a';

function withWrongPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = wrongPassword;
  return parsed.toString();
}

describe('totes sync checks both databases before anything runs', () => {
  const totesys = useTestDatabase('cli_check_src');
  const warehouse = useTestDatabase('cli_check_wh');
  let dataDir: string;
  const queue = 'local-extract.fifo';

  /** Queues one extract request in the data directory's emulator, as an earlier run would leave it. */
  async function queueExtractRequest(): Promise<void> {
    const stack = await startLocalStack({ dataDir, totesysUrl: totesys.url, warehouseUrl: warehouse.url });
    try {
      await stack.clients.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.queueUrl(queue),
          ...extractMessage({ table: 'sales_order', mode: 'incremental' }, `queued-${Date.now()}`),
        }),
      );
    } finally {
      await stack.stop();
    }
  }

  /** How often each message waiting in the queue has been received, counting this look. */
  async function receiveCounts(): Promise<number[]> {
    const stack = await startLocalStack({ dataDir, totesysUrl: totesys.url, warehouseUrl: warehouse.url });
    try {
      const { Messages = [] } = await stack.clients.sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.queueUrl(queue),
          MaxNumberOfMessages: 10,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          VisibilityTimeout: 0,
        }),
      );
      return Messages.map((message) => Number(message.Attributes?.ApproximateReceiveCount));
    } finally {
      await stack.stop();
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-check-'));
    await seedTotesys(totesys.url, { scale: 0.02, seed: 9 });
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a warehouse it cannot log in to, naming it, without the password, before any runner takes queued work', async () => {
    await queueExtractRequest();
    const run = await runTotes(['sync', '--data-dir', dataDir], {
      TOTESYS_URL: totesys.url,
      WAREHOUSE_URL: withWrongPassword(warehouse.url),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot connect to the warehouse database at postgresql:\/\/postgres:\*\*\*@/);
    expect(run.stderr).toContain('check WAREHOUSE_URL');
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrongPassword);
    expect(await receiveCounts()).toEqual([1]);
  });

  it('refuses a totesys it cannot log in to, naming it, before any runner takes queued work', async () => {
    const run = await runTotes(['sync', '--data-dir', dataDir], {
      TOTESYS_URL: withWrongPassword(totesys.url),
      WAREHOUSE_URL: warehouse.url,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot connect to the totesys database at postgresql:\/\/postgres:\*\*\*@/);
    expect(run.stderr).toContain('check TOTESYS_URL');
    expect(`${run.stdout}${run.stderr}`).not.toContain(wrongPassword);
    // Seen once by the previous look and once by this one: never by a runner.
    expect(await receiveCounts()).toEqual([2]);
  });
});
