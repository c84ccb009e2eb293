// One Lambda instance of a deployed function, as a process of a function pool
// (packages/local/src/function-pool.ts): it imports the function's bundle from the cloud assembly
// with the environment the pool gives it, then runs each invocation it is sent, one at a time.
// Plain JavaScript with no imports of the project's own: nothing but the bundle runs here.
import { pathToFileURL } from 'node:url';

/** @type {Promise<Function> | undefined} */
let handler;

process.on('disconnect', () => process.exit(0));
process.on('message', async (request) => {
  if (request.type === 'init') {
    const { entry, exportName } = request.init;
    handler = import(pathToFileURL(entry).href).then((module) => module[exportName]);
    handler.then(
      () => process.send?.({ type: 'ready' }),
      (error) => {
        process.stderr.write(`the bundle ${entry} could not be loaded: ${error?.stack ?? error}\n`);
        process.exit(1);
      },
    );
    return;
  }
  const deadline = Date.now() + request.context.remainingMs;
  const context = {
    ...request.context,
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
  try {
    const response = await (await handler)(request.event, context);
    process.send?.({ type: 'result', id: request.id, response: response ?? undefined });
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    process.send?.({
      type: 'failure',
      id: request.id,
      error: { name: failure.name, message: failure.message, stack: failure.stack },
    });
  }
});
