import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  type FunctionPool,
  type FunctionRunner,
  type LocalStack,
  type SqsFunctionHandler,
  startFunctionPool,
  startFunctionRunner,
  startLocalStack,
} from '@totes/local';
import {
  type SourceTableName,
  sourceTableNames,
  warehouseTableNames,
  warehouseTables,
} from '@totes/pipeline';
import { emulatorAccount, useTestDatabase } from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { offlineSynth } from '../../infra/test/offline-synth';
import {
  type DeployedFunction,
  deployedFunctions,
  localVariables,
  scheduledMessage,
} from './deployed-functions';
import { expectWarehouseToMatchSource } from './expect-warehouse';
import { query } from './warehouse-queries';

// A plain `cdk synth` deploys the example environment (infra/test/cdk-synth.test.ts holds it so).
const environment = 'example';
const bundleHost = fileURLToPath(new URL('./bundle-host.mjs', import.meta.url));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Source tables in the order that lets every fact find its dimensions loaded: first the tables
 * that feed dimensions only, then those that feed a fact. A fact that arrives early waits with
 * the load stage's backoff (10 s, then 20 s…), which would only make this test slower; waiting is
 * tested on its own (services/loader/test/load-handler.test.ts).
 */
const feedsFact = (table: SourceTableName) =>
  warehouseTableNames.some(
    (target) =>
      warehouseTables[target].kind === 'fact' &&
      (warehouseTables[target].inputs as readonly string[]).includes(table),
  );
const extractionWaves = [
  sourceTableNames.filter((table) => !feedsFact(table)),
  sourceTableNames.filter(feedsFact),
] as const;

describe('the deployed bundles on the local stack', () => {
  const totesys = useTestDatabase('e2e_bundles_src');
  const warehouse = useTestDatabase('e2e_bundles_wh');
  let dataDir: string;
  let assembly: string;
  let stack: LocalStack;
  let functions: readonly DeployedFunction[];
  const pools: FunctionPool[] = [];
  const runners: FunctionRunner[] = [];
  const output: string[] = [];
  const failures: string[] = [];

  beforeAll(async () => {
    const [synth] = await Promise.all([offlineSynth(), seedTotesys(totesys.url, { scale: 0.02, seed: 18 })]);
    assembly = synth.assembly;
    dataDir = await mkdtemp(join(tmpdir(), 'totes-e2e-bundles-'));
    stack = await startLocalStack({ dataDir, totesysUrl: totesys.url, warehouseUrl: warehouse.url });
    functions = deployedFunctions(assembly, environment);
    for (const fn of functions) {
      // What Lambda adds to a function's own variables, and the endpoints of the local stack: the
      // only configuration that differs from AWS (ARCHITECTURE.md §3.6).
      const env = {
        PATH: process.env.PATH,
        ...localVariables(fn, stack, environment, emulatorAccount),
        AWS_REGION: stack.region,
        AWS_DEFAULT_REGION: stack.region,
        AWS_LAMBDA_FUNCTION_NAME: fn.functionName,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_ENDPOINT_URL: stack.awsEndpoint,
        AWS_ENDPOINT_URL_S3: stack.s3Endpoint,
        S3_FORCE_PATH_STYLE: 'true',
      };
      const pool = startFunctionPool({
        module: bundleHost,
        size: 1,
        env,
        init: { entry: fn.entry, exportName: fn.exportName },
        onLog: (entry) => output.push(JSON.stringify(entry)),
        onOutput: (text) => output.push(text),
        onError: (error) => failures.push(`${fn.functionName}: ${String(error)}`),
      });
      pools.push(pool);
      if (fn.batchSize === undefined) continue;
      const queue = stack.names.queue(fn.stage, fn.table as never);
      runners.push(
        startFunctionRunner({
          functionName: fn.functionName,
          handler: pool.handlerFor(fn.functionName),
          acquire: pool.acquire,
          sqs: stack.clients.sqs,
          queueUrl: stack.queueUrl(queue),
          queueArn: stack.queueArn(queue),
          region: stack.region,
          batchSize: fn.batchSize,
          maxConcurrency: 1,
          timeoutSeconds: fn.timeoutSeconds,
          onInvocation: (invocation) => {
            if (invocation.error || invocation.failed > 0)
              failures.push(
                `${fn.functionName}: ${String(invocation.error ?? `${invocation.failed} failed`)}`,
              );
          },
        }),
      );
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(runners.map((runner) => runner.stop()));
    await Promise.all(pools.map((pool) => pool.stop()));
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /**
   * Resolves once nothing is queued, in flight or being announced, three checks in a row; fails
   * when work waits and nothing has run for `timeoutSeconds` (a busy machine only slows it).
   */
  async function settled(timeoutSeconds: number): Promise<void> {
    let deadline = Date.now() + timeoutSeconds * 1000;
    let quiet = 0;
    while (quiet < 3) {
      if (Date.now() > deadline)
        throw new Error(`not settled within ${timeoutSeconds} s: ${failures.join('; ')}`);
      await sleep(300);
      const running = runners.some((runner) => runner.busy > 0) || stack.pendingNotifications() > 0;
      if (running) deadline = Date.now() + timeoutSeconds * 1000;
      const busy = running || (await stack.queueDepths()).some((depth) => depth.visible + depth.inFlight > 0);
      quiet = busy ? 0 : quiet + 1;
    }
  }

  it('takes a seeded totesys through the bundles of the cloud assembly into a warehouse equal to it', async () => {
    expect(functions.map((fn) => fn.stage).sort()).toEqual(
      [
        // One extractor for every table.
        'extract',
        ...warehouseTableNames.map(() => 'load'),
        ...warehouseTableNames.map(() => 'transform'),
      ].sort(),
    );
    // dim_date's function is invoked once at deploy, with no event (the stack's trigger).
    const calendar = functions.find((fn) => fn.batchSize === undefined);
    const calendarPool = pools[functions.indexOf(calendar as DeployedFunction)];
    await calendarPool?.handlerFor(calendar?.functionName ?? '')(
      undefined as never,
      {
        functionName: calendar?.functionName,
        getRemainingTimeInMillis: () => 60_000,
      } as Parameters<SqsFunctionHandler>[1],
    );

    for (const wave of extractionWaves) {
      const requestedAt = new Date().toISOString();
      for (const table of wave) {
        // The message the table's incremental schedule sends, as the extractor's template has it.
        const message = scheduledMessage(assembly, environment, table, 'incremental', requestedAt);
        await stack.clients.sqs.send(
          new SendMessageCommand({
            QueueUrl: stack.queueUrl(stack.names.queue('extract', table)),
            ...message,
            MessageDeduplicationId: `${table}-${requestedAt}`,
          }),
        );
      }
      await settled(60);
    }

    expect(failures, output.join('').slice(-4000)).toEqual([]);
    const deadLetters = (await stack.queueDepths()).filter((depth) => depth.deadLetters > 0);
    expect(deadLetters.map((depth) => depth.queue.name)).toEqual([]);
    await expectWarehouseToMatchSource(totesys.url, warehouse.url);
    const [orders] = await query<{ n: number }>(
      warehouse.url,
      'SELECT count(*)::int AS n FROM fact_sales_order',
    );
    expect(orders?.n).toBeGreaterThan(100);
  }, 180_000);
});
