import { type ExtractorSettings, serviceName } from '@totes/pipeline';
import type {
  ObjectAnnouncer,
  ObjectStore,
  PipelineLogger,
  PipelineMetrics,
  RetryTiming,
  SqsHandler,
} from '@totes/runtime';
import { stageHandler } from '@totes/runtime';
import type { CachedConnectionString } from '@totes/runtime/database';
import { rowFormat } from './copy/row-format';
import { extractionWork } from './extraction-work';
import type { ExtractQueue } from './modes/continuation';
import { objectStateStore } from './store/object-state-store';
import type { StateStore } from './store/state-store';

/** What one table's extractor talks to; every part is a narrow interface, so tests pass real or plain objects. */
export interface ExtractDeps {
  /** The totesys connection string, fetched at the first request and again after a refused login. */
  readonly totesys: CachedConnectionString;
  /** The ingest bucket. */
  readonly store: ObjectStore;
  /** Where watermarks, snapshot hashes and sweep hashes are kept (default: the ingest bucket). */
  readonly state?: StateStore;
  /** Where continuations go: the extract FIFO queue, in the table's message group. */
  readonly queue: ExtractQueue;
  /**
   * Where an object found already written is announced again; without it, such an object is
   * left to reconciliation.
   */
  readonly announcer?: ObjectAnnouncer | undefined;
  readonly logger: PipelineLogger;
  readonly metrics: PipelineMetrics<'extract'>;
  /** How failed requests come back; without it, after the queue's visibility timeout. */
  readonly retry?: RetryTiming | undefined;
  /** The clock, for snapshot times and the time budget. */
  readonly now?: () => Date;
}

/**
 * The extraction of one source table: what `createExtractRouter` hands that table's requests.
 *
 * Its requests come from the table's message group of the extract queue (one at a time, in
 * order); it extracts over one connection per request, writes JSON Lines objects to the ingest
 * bucket, and logs one line per request. A request that fails fails alone (a partial batch response), is retried and then
 * dead-lettered, with nothing written for the part that failed.
 */
export function createExtractHandler(settings: ExtractorSettings, deps: ExtractDeps): SqsHandler {
  const { logger, metrics, retry } = deps;
  const work = extractionWork({
    config: settings,
    service: serviceName('extract', settings.table),
    format: rowFormat(settings.table),
    connectionString: deps.totesys,
    store: deps.store,
    state: deps.state ?? objectStateStore(deps.store),
    queue: deps.queue,
    announcer: deps.announcer,
    logger,
    now: deps.now ?? (() => new Date()),
  });
  return stageHandler<'extract'>(work, {
    logger,
    metrics,
    retry,
    stopOnFailure: true,
    failureMetric: 'extract_failures',
  });
}
