import type { ExtractorSettings } from '@totes/pipeline';
import { PipelineError } from '@totes/pipeline';
import type { ObjectAnnouncer, ObjectStore, PipelineLogger, StageWork } from '@totes/runtime';
import { describeError } from '@totes/runtime';
import type { CachedConnectionString } from '@totes/runtime/database';
import { connectWithCachedSecret } from '@totes/runtime/database';
import type { RowFormat } from './copy/row-format';
import { openTotesysSource } from './copy/totesys-source';
import { ExtractError } from './extract-error';
import { extractTable } from './extract-table';
import { continuationOf, type ExtractQueue } from './modes/continuation';
import { timeBudget } from './modes/time-budget';
import { parseExtractRequest } from './parse-extract-request';
import type { StateStore } from './store/state-store';

/** What the extraction of one request works with, resolved once at cold start. */
export interface ExtractionParts {
  readonly config: ExtractorSettings;
  readonly service: string;
  readonly format: RowFormat;
  readonly connectionString: CachedConnectionString;
  readonly store: ObjectStore;
  readonly state: StateStore;
  readonly queue: ExtractQueue;
  readonly announcer: ObjectAnnouncer | undefined;
  readonly logger: PipelineLogger;
  readonly now: () => Date;
}

/**
 * The work of one extract request.
 *
 * Extracts over its own connection, announces again what it found already written, enqueues its
 * continuation and reports one line.
 *
 * A failure is logged with the request's mode and thrown as an {@link ExtractError} (retryable
 * unless the error says otherwise); nothing was written for the part that failed.
 */
export function extractionWork(parts: ExtractionParts): StageWork<'extract'> {
  const { config, service, format, connectionString, store, state, queue, announcer, logger, now } = parts;
  const { table } = config;
  return async (record, report) => {
    const started = now().getTime();
    let fields: Readonly<Record<string, string>> = { table };
    try {
      const request = parseExtractRequest(record.body, table);
      fields = { table, mode: request.mode, ...('run' in request ? { run: request.run } : {}) };
      // A refused password may be a rotated secret: it is read again, and tried once more.
      const client = await connectWithCachedSecret(connectionString, {
        statementTimeoutMs: config.statementTimeoutMs,
        applicationName: service,
        readBuffer: true,
      });
      let outcome: Awaited<ReturnType<typeof extractTable>>;
      try {
        const source = await openTotesysSource(client, format, config.ingestCompression);
        const budget = timeBudget(config.timeBudgetMs, () => now().getTime());
        outcome = await extractTable(request, { config, source, store, state, budget, now });
      } finally {
        await client.end().catch(() => undefined);
      }
      // A crash between a write and its notification may have lost the event: announce again.
      for (const key of announcer ? outcome.existing : []) await announcer?.announce(store.bucket, key);
      const continuation = outcome.stop ? continuationOf(table, outcome.stop) : undefined;
      if (continuation) await queue.send(continuation);
      const durationMs = now().getTime() - started;
      // Every table is asked for its changes every few seconds, and most asks find none: those
      // are debug lines, or an idle pipeline would log thousands of them a minute.
      const idle =
        outcome.rows === 0 && outcome.written.length === 0 && outcome.existing.length === 0 && !continuation;
      report({
        message: 'extracted',
        fields: {
          ...fields,
          rows: outcome.rows,
          objects: outcome.written,
          existingObjects: outcome.existing,
          announcedAgain: announcer ? outcome.existing.length : 0,
          ...outcome.details,
          continuation: continuation?.deduplicationId ?? null,
          durationMs,
        },
        routine: idle,
        metrics: {
          rows_extracted: outcome.rows,
          objects_written: outcome.written.length,
          extract_seconds: durationMs / 1000,
        },
      });
    } catch (error) {
      const failure =
        error instanceof ExtractError
          ? error
          : new ExtractError(
              table,
              `${fields.mode} extraction failed: ${(error as Error).message ?? error}`,
              {
                cause: error,
                retryable: error instanceof PipelineError ? error.retryable : true,
              },
            );
      logger.error('extraction failed', {
        ...fields,
        durationMs: now().getTime() - started,
        error: describeError(failure),
      });
      throw failure;
    }
  };
}
