import type { Context } from 'aws-lambda';
import type { FunctionHostReply, FunctionHostRequest, InvocationContext } from './function-pool';
import type { SqsFunctionHandler } from './function-runner';

/** What a function process's builder gets: the pool's init data and a way to log. */
export interface FunctionHostSetup {
  readonly init: unknown;
  /** Sends a log entry to the pool's process, which writes the stack's log. */
  readonly log: (entry: Readonly<Record<string, unknown>>) => void;
}

function contextOf(plain: InvocationContext): Context {
  const deadline = Date.now() + plain.remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: plain.functionName,
    functionVersion: plain.functionVersion,
    invokedFunctionArn: plain.invokedFunctionArn,
    memoryLimitInMB: plain.memoryLimitInMB,
    awsRequestId: plain.awsRequestId,
    logGroupName: plain.logGroupName,
    logStreamName: plain.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

/**
 * The body of a process of a {@link startFunctionPool} pool.
 *
 * Builds the handlers once, from the pool's init data, then runs each invocation it is sent and
 * replies with the handler's result. It ends when the pool disconnects (the pool stopped, or its
 * process died: `kill -9` of the pipeline takes these processes with it). Interrupts are the pool's
 * to handle: it lets the invocation under way finish, then disconnects.
 */
export function serveFunctions(
  build: (setup: FunctionHostSetup) => Promise<ReadonlyMap<string, SqsFunctionHandler>>,
): void {
  const send = (reply: FunctionHostReply) => {
    if (process.connected) process.send?.(reply);
  };
  let handlers: Promise<ReadonlyMap<string, SqsFunctionHandler>> | undefined;
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  process.on('disconnect', () => process.exit(0));
  process.on('message', (request: FunctionHostRequest) => {
    if (request.type === 'init') {
      handlers = build({ init: request.init, log: (entry) => send({ type: 'log', entry }) });
      handlers.then(
        () => send({ type: 'ready' }),
        (error: unknown) => {
          process.stderr.write(`the function process could not start: ${String(error)}\n`);
          process.exit(1);
        },
      );
      return;
    }
    void (async () => {
      try {
        const handler = (await handlers)?.get(request.functionName);
        if (!handler) throw new Error(`no function named ${request.functionName} in this process`);
        const response = await handler(request.event, contextOf(request.context));
        send({ type: 'result', id: request.id, response: response ?? undefined });
      } catch (error) {
        const failure = error instanceof Error ? error : new Error(String(error));
        send({
          type: 'failure',
          id: request.id,
          error: {
            name: failure.name,
            message: failure.message,
            ...(failure.stack ? { stack: failure.stack } : {}),
          },
        });
      }
    })();
  });
}
