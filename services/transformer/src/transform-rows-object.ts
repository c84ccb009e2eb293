import {
  type IngestKey,
  KeyLayoutError,
  observedAt as keyObservation,
  observedAtIn,
  parseIngestKey,
  processedKey,
  processedMetadata,
  type QuarantinedRow,
  quarantineDetailLimit,
  type SourceTableName,
  warehouseTables as topology,
} from '@totes/pipeline';
import { totesysTables } from '@totes/schema';
import { ingestBody } from './ingest-body';
import { jsonLinesBatches } from './json-lines-batches';
import { mapScreened } from './map-screened';
import { parquetChunks } from './parquet/parquet-chunks';
import { parquetColumns } from './parquet/parquet-columns';
import { putAllOrNothing } from './put-all-or-nothing';
import { type RowsTarget, tableTransforms } from './table-transforms';
import { TransformError } from './transform-error';
import type { TransformOutcome } from './transform-outcome';
import type { TransformStores } from './transform-stores';

/** What {@link transformRowsObject} is asked to do. */
export interface RowsObjectRequest {
  readonly target: RowsTarget;
  /** The ingest key of a change or rescan object of the target's input table. */
  readonly key: string;
  readonly generation: number;
  readonly rowGroupRows?: number;
}

function sourceOf(target: RowsTarget, key: string): IngestKey {
  const input = topology[target].inputs[0] as SourceTableName;
  let source: IngestKey;
  try {
    source = parseIngestKey(key);
  } catch (error) {
    if (!(error instanceof KeyLayoutError)) throw error;
    throw new TransformError(`${target}: ${error.message}`, { cause: error, retryable: false });
  }
  if (source.table !== input || source.kind === 'snapshot') {
    throw new TransformError(
      `${target} is built from ${input} change objects, not from ${key}: check the queue's subscription filter`,
      { retryable: false },
    );
  }
  return source;
}

/**
 * Maps one change (or rescan) object of an event table to one Parquet object, streaming.
 *
 * Rows are read, validated, mapped and written a row group at a time, so memory stays flat whatever
 * the object's size. The output key is derived from the input key, so the same input always lands
 * on the same key; when that object exists already nothing is written. The output's footer carries
 * the input's observation time (`totes.observed_at`) when the input records one. A malformed line
 * fails the whole object (`MalformedObjectError` naming the line) and nothing is written.
 */
export async function transformRowsObject(
  stores: TransformStores,
  request: RowsObjectRequest,
): Promise<TransformOutcome> {
  const { target, key, generation } = request;
  const source = sourceOf(target, key);
  const outputKey = processedKey({ kind: 'rows', target, generation, source });
  if (await stores.processed.head(outputKey)) {
    return { status: 'exists', target, inputKeys: [key], outputKey };
  }
  const input = topology[target].inputs[0] as SourceTableName;
  // The row schema and the mapping are chosen by the same target, so the row fits the mapping.
  const map = tableTransforms[target].map as (row: unknown) => Readonly<Record<string, unknown>>;
  const { body, metadata } = await stores.ingest.get(key);
  // Carried to the loader, which orders a row's observations by it; an input written before the
  // extractor recorded it has none, and neither has the output.
  const observedAt = observedAtIn(metadata);
  let rowsIn = 0;
  let rowsOut = 0;
  let quarantined = 0;
  const quarantine: QuarantinedRow[] = [];
  let maxLastUpdated: string | undefined;
  async function* mapped() {
    try {
      const lines = jsonLinesBatches(ingestBody(key, body), totesysTables[input], { key, table: input });
      for await (const batch of lines) {
        const screened = mapScreened(batch, map, { key, table: input });
        rowsIn += batch.rows.length + batch.quarantined.length;
        rowsOut += screened.rows.length;
        quarantined += screened.quarantined.length;
        for (const entry of screened.quarantined) {
          if (quarantine.length < quarantineDetailLimit) quarantine.push(entry);
        }
        for (const row of batch.rows) {
          if (maxLastUpdated === undefined || row.last_updated > maxLastUpdated)
            maxLastUpdated = row.last_updated;
        }
        yield screened.rows;
      }
    } finally {
      body.destroy();
    }
  }
  async function* parquet() {
    try {
      yield* parquetChunks(parquetColumns(target), mapped(), {
        ...(request.rowGroupRows === undefined ? {} : { rowGroupRows: request.rowGroupRows }),
        metadata: () =>
          processedMetadata({
            sources: [key],
            maxLastUpdated,
            observedAt,
            rows: rowsOut,
            observed: { [input]: keyObservation(source) },
            quarantined,
            quarantine,
          }),
      });
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw new TransformError(`${target} from ${key}: ${error.message}`, { cause: error, retryable: false });
    }
  }
  await putAllOrNothing(stores.processed, outputKey, parquet());
  return {
    status: 'written',
    target,
    inputKeys: [key],
    outputKey,
    rowsIn,
    rowsOut,
    rowsQuarantined: quarantined,
    ...(quarantine.length === 0 ? {} : { quarantined: quarantine }),
  };
}
