import {
  compactTimestampOf,
  type ExtractRequest,
  isReferenceTable,
  type SourceTableName,
} from '@totes/pipeline';

/** Options of {@link startExtractScheduler}. */
export interface ExtractSchedulerOptions {
  readonly tables: readonly SourceTableName[];
  /** Sends one request to the extract queue, in its table's message group. */
  readonly send: (request: ExtractRequest) => Promise<void>;
  /** Seconds between incremental requests (every table). */
  readonly incrementalSeconds: number;
  /** Seconds between sweeps for silent edits (event tables; reference tables are hashed whole every time). */
  readonly sweepSeconds: number;
  readonly onError?: (error: unknown) => void;
  readonly now?: () => Date;
  /**
   * Whether a table's extraction is under way: such a table is not asked for its changes at an
   * incremental tick, since the request would only wait behind it in the table's message group of the extract queue (on a
   * busy machine they piled up there) and the next tick asks again.
   */
  readonly busy?: (table: SourceTableName) => boolean;
}

/** The requests of one tick, pure so it can be tested without timers. */
export function scheduledRequests(
  tables: readonly SourceTableName[],
  kind: 'incremental' | 'sweep',
  at: Date,
): readonly ExtractRequest[] {
  const requestedAt = at.toISOString();
  if (kind === 'incremental') return tables.map((table) => ({ mode: 'incremental', table, requestedAt }));
  const run = compactTimestampOf(at);
  return tables
    .filter((table) => !isReferenceTable(table))
    .map((table) => ({ mode: 'sweep', table, run, requestedAt }));
}

/**
 * Sends extract requests on a schedule, as EventBridge Scheduler does in AWS.
 *
 * Incremental requests every few seconds, sweeps on a slower cadence. The first tick of each runs
 * at once.
 */
export function startExtractScheduler(options: ExtractSchedulerOptions): { stop(): void } {
  const now = options.now ?? (() => new Date());
  const tick = (kind: 'incremental' | 'sweep') => {
    const tables =
      kind === 'incremental' && options.busy
        ? options.tables.filter((table) => !options.busy?.(table))
        : options.tables;
    for (const request of scheduledRequests(tables, kind, now())) {
      options.send(request).catch((error) => options.onError?.(error));
    }
  };
  tick('incremental');
  tick('sweep');
  const timers = [
    setInterval(() => tick('incremental'), options.incrementalSeconds * 1000),
    setInterval(() => tick('sweep'), options.sweepSeconds * 1000),
  ];
  return {
    stop() {
      for (const timer of timers) clearInterval(timer);
    },
  };
}
