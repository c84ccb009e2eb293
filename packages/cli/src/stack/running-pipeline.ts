import { fileURLToPath } from 'node:url';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { ensureWarehouse } from '@totes/loader';
import {
  type FunctionPool,
  type FunctionRunner,
  functionProcessCount,
  type LocalStack,
  localStackSettings,
  type SqsFunctionHandler,
  scheduledRequests,
  startExtractScheduler,
  startFunctionPool,
  startFunctionRunner,
  startLocalStack,
} from '@totes/local';
import {
  type ExtractRequest,
  extractMessage,
  findUnconsumedObjects,
  requeueUnconsumed,
  sourceTableNames,
  stageSettings,
} from '@totes/pipeline';
import { reportDeadLetters } from '@totes/reconciler';
import {
  describeError,
  logLevelOf,
  redactUrl,
  s3ObjectListing,
  sqsEventQueue,
  sqsQueueDepth,
} from '@totes/runtime';
import { connectPostgres, postgresLedgerQuery } from '@totes/runtime/database';
import { resolveLocalPorts } from '../local-ports';
import { checkDatabases } from './check-databases';
import { claimDataDir } from './claim-data-dir';
import { deadLetters, requestTableOf } from './dead-letters';
import type { FunctionProcessInit } from './function-process';
import { fileLogSink, type LogSink, pipelineLogPath } from './log-sink';
import { pipelineFunctions } from './pipeline-functions';
import { stackConnectionOf } from './stack-connection';

/** Options of {@link startPipeline}. */
export interface PipelineOptions {
  readonly dataDir: string;
  readonly totesysUrl?: string;
  readonly warehouseUrl?: string;
  /** Send extract requests on the local schedule (`totes up`), or only when asked (`totes sync`). */
  readonly schedule: boolean;
  /** The command holding the data directory meanwhile (named to a second one, which is refused). */
  readonly command: string;
  /** Whether the caller fills an empty embedded totesys (`totes up`), so it need not hold tables yet. */
  readonly seedsEmbeddedTotesys?: boolean;
  /** Told what was recovered from an earlier crash, and a default port given up, if anything. */
  readonly onRecovered?: (line: string) => void;
}

/** The whole pipeline running on a local stack. */
export interface RunningPipeline {
  readonly stack: LocalStack;
  readonly log: LogSink;
  /** Asks every table for its changes (and event tables for a sweep), at once. */
  requestExtraction(kinds: readonly ('incremental' | 'sweep')[]): Promise<void>;
  /**
   * Sends again the event of every stored object that its stage has not consumed and that is
   * older than `graceSeconds` (a lost notification, a crash between two writes); returns how many.
   */
  reconcile(graceSeconds: number): Promise<number>;
  /**
   * Resolves once nothing is queued, running or being announced, several checks in a row; rejects
   * when work is queued and nothing has run for `timeoutSeconds` (default 600).
   */
  settled(options?: { readonly onTick?: () => void; readonly timeoutSeconds?: number }): Promise<void>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The pipeline is at rest after this many checks in a row find nothing running, being announced
 * or queued, `settleCheckMs` apart. Every hop between stages is covered by one of the three (a
 * received message stays in flight until it is deleted; an object is being announced from before
 * its writer knows it exists), so the checks only guard against a count read in passing. At 500
 * ms apart, the end of each sync waited 1.5-2 s for them.
 */
const settleChecks = 3;
const settleCheckMs = 100;

/**
 * Starts the local stack and on it the pipeline.
 *
 * The data directory taken for this command (what a crash left in it cleared), both databases checked before anything runs, the star
 * schema and the loader's bookkeeping created if absent, dim_date's calendar written once, one
 * runner per function, and (with `schedule`) the extract scheduler.
 */
export async function startPipeline(options: PipelineOptions): Promise<RunningPipeline> {
  // What a crash left behind is told to the caller at once, and logged once the log is open.
  const recovered: string[] = [];
  const lock = await claimDataDir(options.dataDir, options.command, (line) => {
    recovered.push(line);
    options.onRecovered?.(line);
  });
  const log = fileLogSink(pipelineLogPath(options.dataDir), { level: logLevelOf() });
  const lifecycle = log.logger('local-stack');
  for (const line of recovered) lifecycle.info('recovered from a crash', { detail: line });
  let stack: LocalStack;
  try {
    const ports = await resolveLocalPorts((line) => {
      lifecycle.warn('a default port is taken', { detail: line });
      options.onRecovered?.(line);
    });
    stack = await startLocalStack({
      dataDir: options.dataDir,
      ports,
      ...(options.totesysUrl ? { totesysUrl: options.totesysUrl } : {}),
      ...(options.warehouseUrl ? { warehouseUrl: options.warehouseUrl } : {}),
      onError: (error) => log.logger('local-stack').error('local stack error', { error: String(error) }),
    });
  } catch (error) {
    await log.close();
    await lock.release();
    throw error;
  }
  const { messagesHandedBack, notificationsReplayed } = stack.recovery;
  if (messagesHandedBack + notificationsReplayed > 0) {
    lifecycle.info('recovered from a crash: the work under way is resumed', {
      messagesHandedBack,
      notificationsReplayed,
    });
  }
  const runners: FunctionRunner[] = [];
  // The extractions running, by table: the one extract function serves every table.
  const extracting = new Map<string, number>();
  const trackExtractions =
    (handler: SqsFunctionHandler): SqsFunctionHandler =>
    async (event, context) => {
      const tables = event.Records.map((record) => requestTableOf(record.body) ?? '');
      for (const table of tables) extracting.set(table, (extracting.get(table) ?? 0) + 1);
      try {
        return await handler(event, context);
      } finally {
        for (const table of tables) extracting.set(table, (extracting.get(table) ?? 1) - 1);
      }
    };
  let stopScheduler = () => {};
  const functions = pipelineFunctions(stack, log);
  // The handlers run in processes of their own, so that every core works (decision 0013); they
  // start loading now, while the databases are checked.
  const init: FunctionProcessInit = {
    region: stack.region,
    awsEndpoint: stack.awsEndpoint,
    s3Endpoint: stack.s3Endpoint,
    totesysUrl: stack.totesysUrl,
    warehouseUrl: stack.warehouseUrl,
    queueUrls: [...stack.provisioned.queueUrls],
    topicArns: [...stack.provisioned.topicArns],
  };
  const processes = functionProcessCount();
  const pool: FunctionPool | undefined =
    processes > 0
      ? startFunctionPool({
          module: fileURLToPath(new URL('../../bin/function-process.mjs', import.meta.url)),
          size: processes,
          execArgv: [...new Set(Object.values(stageSettings).flatMap((settings) => settings.nodeOptions))],
          init,
          onLog: (entry) => log.append(entry),
          onError: (error) => lifecycle.error('function process error', { error: String(error) }),
        })
      : undefined;
  try {
    await checkDatabases({
      totesysUrl: stack.totesysUrl,
      warehouseUrl: stack.warehouseUrl,
      embeddedTotesys: stack.embeddedTotesys,
      totesysTables: !(stack.embeddedTotesys && options.seedsEmbeddedTotesys),
    });
    const warehouse = await connectPostgres(stack.warehouseUrl, {
      statementTimeoutMs: 60_000,
      applicationName: 'totes-up',
    });
    try {
      await ensureWarehouse(warehouse);
    } finally {
      await warehouse.end();
    }
    for (const fn of functions.functions) {
      const settings = stageSettings[fn.queue.stage];
      const handler = pool ? pool.handlerFor(fn.name) : fn.handler;
      const runner = startFunctionRunner({
        functionName: fn.name,
        handler: fn.queue.stage === 'extract' ? trackExtractions(handler) : handler,
        ...(pool ? { acquire: pool.acquire } : {}),
        sqs: stack.clients.sqs,
        queueUrl: stack.queueUrl(fn.queue.name),
        queueArn: stack.queueArn(fn.queue.name),
        region: stack.region,
        batchSize: settings.batchSize,
        batchWindowSeconds: settings.batchWindowSeconds,
        maxConcurrency: settings.localConcurrency,
        timeoutSeconds: localStackSettings.timeoutSeconds[fn.queue.stage],
        onInvocation: (invocation) => {
          if (invocation.error) {
            log.logger(fn.name).error('invocation failed', { error: String(invocation.error) });
          }
          // Lambda's REPORT line: what the function was billed for.
          log.logger(fn.name).debug('invocation', {
            stage: fn.queue.stage,
            table: fn.queue.table,
            messages: invocation.messages,
            failed: invocation.failed,
            durationMs: invocation.milliseconds,
          });
        },
      });
      runners.push(runner);
    }
    // dim_date is produced when the pipeline is provisioned: once, unless it exists.
    const calendar = await functions.processed.list('dim_date/')[Symbol.asyncIterator]().next();
    if (calendar.done) await functions.calendar({});
  } catch (error) {
    lifecycle.error('local stack failed to start', { error: describeError(error) });
    await Promise.all(runners.map((runner) => runner.stop()));
    await pool?.stop();
    functions.destroy();
    await stack.stop();
    await log.close();
    await lock.release();
    throw error;
  }

  const send = async (request: ExtractRequest) => {
    await stack.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: stack.queueUrl(stack.names.queue('extract', request.table)),
        ...extractMessage(request, `${request.table}-${request.mode}-${request.requestedAt ?? Date.now()}`),
      }),
    );
  };
  const reconcile = async (graceSeconds: number): Promise<number> => {
    // As the reconciler in AWS: the DLQs that hold messages, logged by table and counted by stage.
    const metrics = log.metrics('reconcile');
    let depths: ReadonlyMap<string, number>;
    try {
      depths = await reportDeadLetters({
        queues: stack.resources.queues,
        depth: sqsQueueDepth(stack.clients.sqs, stack.queueUrl),
        logger: log.logger('reconcile'),
        metrics,
      });
    } finally {
      metrics.flush();
    }
    const warehouse = await connectPostgres(stack.warehouseUrl, {
      statementTimeoutMs: 60_000,
      applicationName: 'totes-reconcile',
    });
    try {
      const unconsumed = await findUnconsumedObjects(
        { listing: s3ObjectListing(stack.clients.s3), ledger: postgresLedgerQuery(warehouse) },
        {
          ingestBucket: stack.names.ingestBucket,
          processedBucket: stack.names.processedBucket,
          graceSeconds,
        },
      );
      // An object whose message is dead-lettered did reach its stage, and failed there: that is
      // for `totes dlq`, not for another round of attempts. Only the DLQs counted above as
      // holding messages are read.
      const held = stack.resources.queues.filter(
        (queue) => queue.stage !== 'extract' && (depths.get(queue.deadLetterQueue) ?? 0) > 0,
      );
      const { letters } =
        held.length === 0 ? { letters: [] } : await deadLetters(stackConnectionOf(stack, log.path), held);
      const deadLettered = new Set(letters.map((letter) => `${letter.stage} ${letter.subject}`));
      const objects = [...unconsumed.transform, ...unconsumed.load].filter(
        (object) => !deadLettered.has(`${object.stage} ${object.key}`),
      );
      if (objects.length === 0) return 0;
      const requeued = await requeueUnconsumed(
        sqsEventQueue(stack.clients.sqs, stack.queueUrl),
        stack.names,
        stack.region,
        objects,
      );
      log.logger('reconcile').warn('objects their stage had not consumed were queued again', {
        requeued,
        keys: objects.slice(0, 20).map((object) => object.key),
      });
      return objects.length;
    } finally {
      await warehouse.end();
    }
  };
  let stopReconciling = () => {};
  if (options.schedule) {
    // With every sweep: whatever a stage has not consumed for longer than any function may take.
    const graceSeconds = Math.max(...Object.values(localStackSettings.timeoutSeconds)) + 30;
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(() =>
        reconcile(graceSeconds).catch((error) =>
          log.logger('reconcile').error('reconciliation failed', { error: String(error) }),
        ),
      );
    }, localStackSettings.sweepSeconds * 1000);
    stopReconciling = () => clearInterval(timer);
  }
  if (options.schedule) {
    const scheduler = startExtractScheduler({
      tables: sourceTableNames,
      send,
      incrementalSeconds: localStackSettings.incrementalSeconds,
      sweepSeconds: localStackSettings.sweepSeconds,
      busy: (table) => (extracting.get(table) ?? 0) > 0,
      onError: (error) =>
        log.logger('scheduler').error('could not send an extract request', { error: String(error) }),
    });
    stopScheduler = () => scheduler.stop();
  }

  lifecycle.info('local stack started', {
    command: options.command,
    dataDir: options.dataDir,
    totesysUrl: redactUrl(stack.totesysUrl),
    warehouseUrl: redactUrl(stack.warehouseUrl),
    awsEndpoint: stack.awsEndpoint,
    functions: runners.length,
    schedule: options.schedule,
  });
  return {
    stack,
    log,
    async requestExtraction(kinds) {
      const at = new Date();
      const requests = kinds.flatMap((kind) => scheduledRequests(sourceTableNames, kind, at));
      // A table's requests in order (its FIFO queue runs them so), the tables side by side.
      await Promise.all(
        sourceTableNames.map(async (table) => {
          for (const request of requests) if (request.table === table) await send(request);
        }),
      );
    },
    reconcile,
    async settled({ onTick, timeoutSeconds = 600 } = {}) {
      // A backfill runs as long as it has work: the limit is on time in which nothing ran.
      let deadline = Date.now() + timeoutSeconds * 1000;
      let quietChecks = 0;
      while (quietChecks < settleChecks) {
        if (Date.now() > deadline) {
          throw new Error(
            `the pipeline did not settle: nothing ran for ${timeoutSeconds} s with work still queued`,
          );
        }
        await sleep(settleCheckMs);
        onTick?.();
        // The queues are asked only when nothing runs: a request for every queue and DLQ, each
        // of which the busy functions would wait behind.
        const running = runners.some((runner) => runner.busy > 0) || stack.pendingNotifications() > 0;
        if (running) deadline = Date.now() + timeoutSeconds * 1000;
        const busy =
          running || (await stack.queueDepths()).some((depth) => depth.visible + depth.inFlight > 0);
        quietChecks = busy ? 0 : quietChecks + 1;
      }
    },
    async stop() {
      lifecycle.info('local stack stopping', {
        command: options.command,
        s3Requests: stack.s3Requests(),
      });
      stopScheduler();
      stopReconciling();
      await Promise.all(runners.map((runner) => runner.stop()));
      await pool?.stop();
      functions.destroy();
      await stack.stop();
      lifecycle.info('local stack stopped', { command: options.command });
      await log.close();
      await lock.release();
    },
  };
}
