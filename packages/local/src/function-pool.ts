import { type ChildProcess, fork } from 'node:child_process';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { SqsFunctionHandler } from './function-runner';

/** What the pool sends a function process. */
export type FunctionHostRequest =
  | { readonly type: 'init'; readonly init: unknown }
  | {
      readonly type: 'invoke';
      readonly id: number;
      readonly functionName: string;
      readonly event: SQSEvent;
      readonly context: InvocationContext;
    };

/** What a function process sends back. */
export type FunctionHostReply =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly id: number; readonly response: SQSBatchResponse | undefined }
  | {
      readonly type: 'failure';
      readonly id: number;
      readonly error: { readonly name: string; readonly message: string; readonly stack?: string };
    }
  | { readonly type: 'log'; readonly entry: Readonly<Record<string, unknown>> };

/** The plain-data part of a Lambda context, rebuilt on the other side with its deadline. */
export interface InvocationContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly remainingMs: number;
}

/** Options of {@link startFunctionPool}. */
export interface FunctionPoolOptions {
  /** The module each process runs: it calls {@link serveFunctions}. */
  readonly module: string;
  /** Processes started. */
  readonly size: number;
  /** Node options of each process (the functions' own, as `NODE_OPTIONS` in Lambda). */
  readonly execArgv?: readonly string[];
  /** Handed to each process's builder: plain data (endpoints, names). */
  readonly init: unknown;
  /** The processes' environment; this process's own by default. */
  readonly env?: NodeJS.ProcessEnv;
  /** Given what the processes write to stdout and stderr; absent, it goes to this process's. */
  readonly onOutput?: (text: string) => void;
  /** Each log entry a function writes. */
  readonly onLog: (entry: Readonly<Record<string, unknown>>) => void;
  readonly onError?: (error: unknown) => void;
}

/** Processes that run the functions, one invocation at a time each, as Lambda instances do. */
export interface FunctionPool {
  /**
   * Waits for a process to be free and holds it until released: a runner takes one before it
   * starts an invocation's clock, so a batch waiting for a process does not use up its timeout.
   */
  acquire(): Promise<() => void>;
  /** A handler that runs the named function in one of the processes. */
  handlerFor(functionName: string): SqsFunctionHandler;
  stop(): Promise<void>;
}

interface Pending {
  readonly request: Extract<FunctionHostRequest, { type: 'invoke' }>;
  readonly resolve: (response: SQSBatchResponse | undefined) => void;
  readonly reject: (error: unknown) => void;
}

interface Instance {
  readonly child: ChildProcess;
  ready: boolean;
  current: Pending | undefined;
}

class FunctionProcessError extends Error {
  override readonly name = 'FunctionProcessError';
}

/**
 * Starts `size` Node processes that each run one invocation at a time, like Lambda instances.
 *
 * Each builds the pipeline's handlers; the local runners keep receiving and deleting messages, and
 * hand each batch to the first free process. One Node process runs JavaScript on one core; with
 * processes, every core can work, at the cost of each process's start-up and JIT warm-up
 * (docs/decisions/0013). A process that dies fails its invocation (its messages come back, as a
 * crashed Lambda's do) and is replaced.
 */
export function startFunctionPool(options: FunctionPoolOptions): FunctionPool {
  const queue: Pending[] = [];
  const instances = new Set<Instance>();
  let stopping = false;
  let nextId = 1;
  let free = options.size;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else free += 1;
  };

  const pump = () => {
    for (const instance of instances) {
      if (queue.length === 0) return;
      if (!instance.ready || instance.current) continue;
      const pending = queue.shift() as Pending;
      instance.current = pending;
      instance.child.send(pending.request);
    }
  };

  const spawnInstance = () => {
    const output = options.onOutput ? 'pipe' : 'inherit';
    const child = fork(options.module, [], {
      execArgv: [...(options.execArgv ?? [])],
      serialization: 'advanced',
      stdio: ['ignore', output, output, 'ipc'],
      ...(options.env ? { env: options.env } : {}),
    });
    if (options.onOutput) {
      const onOutput = options.onOutput;
      child.stdout?.setEncoding('utf8').on('data', onOutput);
      child.stderr?.setEncoding('utf8').on('data', onOutput);
    }
    const instance: Instance = { child, ready: false, current: undefined };
    instances.add(instance);
    child.on('message', (reply: FunctionHostReply) => {
      switch (reply.type) {
        case 'ready':
          instance.ready = true;
          break;
        case 'log':
          options.onLog(reply.entry);
          return;
        case 'result':
          instance.current?.resolve(reply.response);
          instance.current = undefined;
          break;
        case 'failure': {
          // The handler's own error, as it would be logged in Lambda.
          const error = new Error(reply.error.message);
          error.name = reply.error.name;
          if (reply.error.stack) error.stack = reply.error.stack;
          instance.current?.reject(error);
          instance.current = undefined;
          break;
        }
      }
      pump();
    });
    child.on('error', (error) => options.onError?.(error));
    child.on('exit', (code, signal) => {
      instances.delete(instance);
      instance.current?.reject(
        new FunctionProcessError(
          `the function process exited (${signal ?? `code ${code}`}) during the invocation`,
        ),
      );
      instance.current = undefined;
      if (!stopping) {
        options.onError?.(
          new FunctionProcessError(`a function process exited (${signal ?? `code ${code}`}); replaced`),
        );
        spawnInstance();
      }
    });
    child.send({ type: 'init', init: options.init } satisfies FunctionHostRequest);
  };
  for (let index = 0; index < options.size; index += 1) spawnInstance();

  return {
    acquire() {
      return new Promise((resolve) => {
        let released = false;
        const lease = () => {
          if (released) return;
          released = true;
          release();
        };
        if (free > 0) {
          free -= 1;
          resolve(lease);
        } else waiting.push(() => resolve(lease));
      });
    },
    handlerFor(functionName) {
      return (event: SQSEvent, context: Context) =>
        new Promise((resolve, reject) => {
          if (stopping) {
            reject(new FunctionProcessError('the function pool is stopping'));
            return;
          }
          queue.push({
            request: {
              type: 'invoke',
              id: nextId++,
              functionName,
              event,
              context: {
                functionName: context.functionName,
                functionVersion: context.functionVersion,
                invokedFunctionArn: context.invokedFunctionArn,
                memoryLimitInMB: context.memoryLimitInMB,
                awsRequestId: context.awsRequestId,
                logGroupName: context.logGroupName,
                logStreamName: context.logStreamName,
                remainingMs: context.getRemainingTimeInMillis(),
              },
            },
            resolve,
            reject,
          });
          pump();
        });
    },
    async stop() {
      stopping = true;
      for (const pending of queue.splice(0))
        pending.reject(new FunctionProcessError('the function pool stopped'));
      await Promise.all(
        [...instances].map(
          (instance) =>
            new Promise<void>((resolve) => {
              if (instance.child.exitCode !== null || instance.child.signalCode !== null) resolve();
              else {
                instance.child.once('exit', () => resolve());
                // A process that is no longer connected ends itself; disconnecting is the signal.
                if (instance.child.connected) instance.child.disconnect();
                else instance.child.kill('SIGKILL');
              }
            }),
        ),
      );
    },
  };
}
