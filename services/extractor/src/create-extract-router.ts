import {
  isSourceTableName,
  type SharedExtractorSettings,
  type SourceTableName,
  sourceTableNames,
} from '@totes/pipeline';
import type { PipelineLogger, PipelineMetrics, SqsHandler } from '@totes/runtime';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { createExtractHandler, type ExtractDeps } from './create-extract-handler';

/** What the extractor of every table shares, and how it makes the parts that are a table's own. */
export interface ExtractRouterDeps extends Omit<ExtractDeps, 'logger' | 'metrics'> {
  /** The logger of one table's extraction (its `service` is `extract-<table>`). */
  readonly logger: (table: SourceTableName) => PipelineLogger;
  /** The metrics of one table's extraction, dimensioned by its table. */
  readonly metrics: (table: SourceTableName) => PipelineMetrics<'extract'>;
}

/** The table an extract message names, if it names a source table. */
function tableOf(record: SQSRecord): SourceTableName | undefined {
  try {
    const { table } = JSON.parse(record.body) as { table?: unknown };
    return typeof table === 'string' && isSourceTableName(table) ? table : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Lambda handler of the extract queue, which carries every table's requests.
 *
 * Each record is handed to the extraction of the table it names, built at its first request
 * (row format, logger and metrics of that table) and kept for the next ones. A message that names
 * no source table goes to the first table's extraction, which refuses it as any malformed request
 * is refused (no retry, to the DLQ with the reason logged). The queue's message group is the
 * table, so one table's requests come one at a time and in order, tables side by side.
 */
export function createExtractRouter(settings: SharedExtractorSettings, deps: ExtractRouterDeps): SqsHandler {
  const handlers = new Map<SourceTableName, SqsHandler>();
  const handlerOf = (table: SourceTableName) => {
    let handler = handlers.get(table);
    if (!handler) {
      handler = createExtractHandler(
        { ...settings, table },
        { ...deps, logger: deps.logger(table), metrics: deps.metrics(table) },
      );
      handlers.set(table, handler);
    }
    return handler;
  };
  return async (event, context) => {
    // Consecutive records of one table stay one batch: a failure stops the rest of its group.
    const runs: { table: SourceTableName; records: SQSRecord[] }[] = [];
    for (const record of event.Records) {
      const table = tableOf(record) ?? (sourceTableNames[0] as SourceTableName);
      const last = runs.at(-1);
      if (last?.table === table) last.records.push(record);
      else runs.push({ table, records: [record] });
    }
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const run of runs) {
      const response = await handlerOf(run.table)({ Records: run.records } as SQSEvent, context);
      batchItemFailures.push(...response.batchItemFailures);
    }
    return { batchItemFailures };
  };
}
