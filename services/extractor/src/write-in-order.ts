import type { TimeBudget } from './time-budget';

/** Whether every chunk was written, or the budget ran out first. */
export type WriteOutcome = 'done' | 'out-of-time';

/**
 * Writes chunks one after another, in order, while the next chunk is being read: each `write`
 * (an object, then the state that points past it) finishes before the next starts, so a crash
 * leaves the state at most one chunk behind. Once the budget is spent no new chunk is started
 * (but the first always is, so every invocation makes progress); leaving the loop stops the source.
 */
export async function writeInOrder<C>(
  chunks: AsyncIterable<C>,
  write: (chunk: C) => Promise<void>,
  budget: TimeBudget,
): Promise<WriteOutcome> {
  let pending: Promise<void> | undefined;
  for await (const chunk of chunks) {
    if (pending) {
      await pending;
      if (budget.spent()) return 'out-of-time';
    }
    pending = write(chunk);
    // Marks the promise as handled while the next chunk is read; it is still awaited below.
    pending.catch(() => undefined);
  }
  if (pending) await pending;
  return 'done';
}
