import {
  KeyLayoutError,
  latestSnapshot,
  observedAt,
  parseIngestKey,
  processedKey,
  processedMetadata,
  type QuarantinedRow,
  quarantineDetailLimit,
  quarantinedValue,
  type ReferenceTableName,
  type SnapshotObject,
  type SourceTableName,
  snapshotPrefix,
  sourceTables,
  warehouseTables as topology,
} from '@totes/pipeline';
import { warehouseRowSchemas } from '@totes/schema';
import { z } from 'zod';

import { parquetChunks } from './parquet/parquet-chunks';
import { parquetColumns } from './parquet/parquet-columns';
import { putAllOrNothing } from './put-all-or-nothing';
import { readSnapshot } from './read-snapshot';
import { RowContractError } from './row-contract-error';
import { type RebuildTarget, tableTransforms } from './table-transforms';
import { TransformError } from './transform-error';
import type { TransformOutcome } from './transform-outcome';
import type { TransformStores } from './transform-stores';

/** What {@link rebuildDimension} is asked to do. */
export interface RebuildRequest {
  readonly target: RebuildTarget;
  /** The snapshot whose arrival asks for the rebuild; the rebuild uses the latest of each input. */
  readonly trigger: string;
  readonly generation: number;
}

function checkTrigger(target: RebuildTarget, inputs: readonly SourceTableName[], key: string): void {
  try {
    const trigger = parseIngestKey(key);
    if (trigger.kind === 'snapshot' && inputs.includes(trigger.table)) return;
  } catch (error) {
    if (!(error instanceof KeyLayoutError)) throw error;
    throw new TransformError(`${target}: ${error.message}`, { cause: error, retryable: false });
  }
  throw new TransformError(
    `${target} is rebuilt from snapshots of ${inputs.join(' and ')}, not from ${key}: check the queue's subscription filter`,
    { retryable: false },
  );
}

/**
 * Rebuilds a whole dimension from the latest snapshot of each of its inputs.
 *
 * dim_staff from staff and department, …, whichever input's snapshot triggered it. So an event that
 * arrives late or twice builds from the newest inputs again, lands on the same key (the key names
 * the input versions) and writes nothing when that object exists. Every output row is checked
 * against the warehouse schema before anything is written, and rows are ordered by natural key, so
 * the same snapshots always give the same bytes. A snapshot row that breaks its schema, and a row
 * of the first input whose mapping breaks a rule or gives a row the warehouse cannot take, is
 * quarantined: left out of the object (the loader only upserts, so the dimension keeps the row it
 * had) and described in its footer.
 */
export async function rebuildDimension(
  stores: TransformStores,
  request: RebuildRequest,
): Promise<TransformOutcome> {
  const { target, trigger, generation } = request;
  const inputs = topology[target].inputs as readonly ReferenceTableName[];
  checkTrigger(target, inputs, trigger);
  const latest: SnapshotObject[] = [];
  const missing: ReferenceTableName[] = [];
  for (const input of inputs) {
    const snapshot = await latestSnapshot(stores.ingest.list(snapshotPrefix(input)), input);
    if (snapshot) latest.push(snapshot);
    else missing.push(input);
  }
  const inputKeys = latest.map((snapshot) => snapshot.key);
  if (missing.length > 0) return { status: 'waiting', target, inputKeys, missing };
  const versions = Object.fromEntries(latest.map((s) => [s.table, `${s.takenAt}-${s.hash}`]));
  const outputKey = processedKey({ kind: 'rebuild', target, generation, versions });
  if (await stores.processed.head(outputKey)) return { status: 'exists', target, inputKeys, outputKey };

  const snapshots: Record<string, readonly { readonly last_updated: string }[]> = {};
  const lines: Record<string, readonly number[]> = {};
  const quarantine: QuarantinedRow[] = [];
  let rowsIn = 0;
  let maxLastUpdated: string | undefined;
  for (const snapshot of latest) {
    const screened = await readSnapshot(stores.ingest, snapshot.table, snapshot.key);
    snapshots[snapshot.table] = screened.rows;
    lines[snapshot.table] = screened.lines;
    quarantine.push(...screened.quarantined);
    rowsIn += screened.rows.length + screened.quarantined.length;
    for (const row of screened.rows) {
      if (maxLastUpdated === undefined || row.last_updated > maxLastUpdated)
        maxLastUpdated = row.last_updated;
    }
  }
  // The snapshots were read for exactly this target's inputs, so they fit its build function.
  const build = tableTransforms[target].build as (snapshots: unknown) => Record<string, unknown>[];
  const naturalKey = topology[target].naturalKey;
  const schema = warehouseRowSchemas[target];
  // Every output row comes from one row of the first input, so building row by row lets one
  // row's broken rule quarantine that row alone (reference tables are small: a few thousand rows).
  const primary = inputs[0] as ReferenceTableName;
  const primaryKey = sourceTables[primary].key;
  const primaryObject = latest.find((snapshot) => snapshot.table === primary)?.key ?? trigger;
  const rows: Record<string, unknown>[] = [];
  (snapshots[primary] ?? []).forEach((input, index) => {
    const reject = (column: string | null, value: unknown, reason: string) =>
      quarantine.push({
        sourceTable: primary,
        sourceId: (input as Record<string, unknown>)[primaryKey] as number,
        objectKey: primaryObject,
        line: lines[primary]?.[index] ?? 0,
        column,
        value: column === null ? null : quarantinedValue(value ?? null),
        reason,
      });
    let built: Record<string, unknown>[];
    try {
      built = build({ ...snapshots, [primary]: [input] });
    } catch (error) {
      if (!(error instanceof RowContractError)) throw error;
      reject(error.column, error.value, error.message);
      return;
    }
    for (const row of built) {
      const checked = schema.safeParse(row);
      if (checked.success) {
        rows.push(row);
        continue;
      }
      const column = checked.error.issues[0]?.path[0];
      reject(
        typeof column === 'string' ? column : null,
        typeof column === 'string' ? row[column] : undefined,
        `${target} row ${naturalKey} ${String(row[naturalKey])} does not fit the warehouse: ${z.prettifyError(checked.error).replace(/\n/g, '; ')}`,
      );
    }
  });
  rows.sort((a, b) => (a[naturalKey] as number) - (b[naturalKey] as number));
  rows.forEach((row, index) => {
    if (index > 0 && row[naturalKey] === rows[index - 1]?.[naturalKey]) {
      throw new TransformError(
        `${target}: ${naturalKey} ${String(row[naturalKey])} occurs twice in ${inputKeys.join(', ')}`,
        { retryable: false },
      );
    }
  });

  const parquet = parquetChunks(parquetColumns(target), [rows], {
    metadata: () =>
      processedMetadata({
        sources: inputKeys,
        maxLastUpdated,
        rows: rows.length,
        observed: Object.fromEntries(latest.map((snapshot) => [snapshot.table, observedAt(snapshot)])),
        quarantined: quarantine.length,
        quarantine,
      }),
  });
  await putAllOrNothing(stores.processed, outputKey, parquet);
  return {
    status: 'written',
    target,
    inputKeys,
    outputKey,
    rowsIn,
    rowsOut: rows.length,
    rowsQuarantined: quarantine.length,
    ...(quarantine.length === 0 ? {} : { quarantined: quarantine.slice(0, quarantineDetailLimit) }),
  };
}
