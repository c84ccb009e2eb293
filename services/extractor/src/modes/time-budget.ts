/** How long an invocation may keep starting new work. */
export interface TimeBudget {
  /** Whether the budget is used up: finish what is under way, start nothing new. */
  spent(): boolean;
  /** Milliseconds since the invocation started. */
  elapsedMs(): number;
}

/** A budget of `ms` milliseconds from now, by `clock` (milliseconds since the epoch). */
export function timeBudget(ms: number, clock: () => number = Date.now): TimeBudget {
  const started = clock();
  return {
    spent: () => clock() - started >= ms,
    elapsedMs: () => clock() - started,
  };
}
