import pg from 'pg';

/** Options of {@link startAnalyticsRefresher}. */
export interface AnalyticsRefresherOptions {
  /** How often to look for new loads. */
  readonly intervalMs?: number;
  /** Refreshes even without a new load this often (overdue payments change with the date). */
  readonly maxAgeMs?: number;
  /** Told of a refresh that failed; the next round tries again. */
  readonly onError?: (error: unknown) => void;
}

/** A refresher running until stopped. */
export interface AnalyticsRefresher {
  /** Resolves once the first refresh has run (or failed). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Keeps the analytics views up to date for a dashboard, as the warehouse's owner.
 *
 * Runs `analytics.refresh()` at once, then whenever the load ledger records a new load (checked
 * every `intervalMs`, 10 s by default), and at least every `maxAgeMs` (an hour). One refresh at a
 * time; readers are never blocked (the views are refreshed concurrently).
 */
export function startAnalyticsRefresher(
  ownerUrl: string,
  options: AnalyticsRefresherOptions = {},
): AnalyticsRefresher {
  const intervalMs = options.intervalMs ?? 10_000;
  const maxAgeMs = options.maxAgeMs ?? 3_600_000;
  const client = new pg.Client({ connectionString: ownerUrl, application_name: 'totes-analytics-refresh' });
  client.on('error', () => undefined);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastMark: string | undefined;
  let lastRefresh = 0;
  let running: Promise<void> = Promise.resolve();

  const round = async () => {
    try {
      const { rows } = await client.query<{ mark: string | null }>(
        "SELECT CASE WHEN to_regclass('etl.load_ledger') IS NULL THEN NULL ELSE (SELECT max(loaded_at)::text FROM etl.load_ledger) END AS mark",
      );
      const mark = rows[0]?.mark ?? '';
      if (mark !== lastMark || Date.now() - lastRefresh >= maxAgeMs) {
        await client.query('SELECT analytics.refresh()');
        lastMark = mark;
        lastRefresh = Date.now();
      }
    } catch (error) {
      options.onError?.(error);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, intervalMs);
  };
  const ready = client
    .connect()
    .then(() => {
      running = round();
      return running;
    })
    .catch((error: unknown) => options.onError?.(error))
    .finally(schedule);
  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await ready;
      await running;
      await client.end().catch(() => undefined);
    },
  };
}
