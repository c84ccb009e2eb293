import { parseIngestKey, snapshotPrefix } from './ingest-key';
import { KeyLayoutError } from './key-error';
import { processedKey } from './processed-key';
import { isReferenceTable, sourceTables } from './source-tables';
import { type TargetTableName, warehouseTableNames, warehouseTables } from './warehouse-tables';

/** An object as a bucket listing shows it: what its ObjectCreated event carries, and its age. */
export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  readonly lastModified: Date;
}

/** The one thing reconciliation needs of a bucket: its objects under a prefix. */
export interface ObjectListing {
  list(bucket: string, prefix: string): AsyncIterable<ListedObject>;
}

/** The one thing reconciliation needs of the warehouse: the processed objects its ledger holds. */
export interface LedgerQuery {
  /** The keys of `table`'s objects in `etl.load_ledger` (loaded or superseded). */
  loadedKeys(table: TargetTableName): Promise<ReadonlySet<string>>;
}

/** A stored object whose next stage has not consumed it: its event is to be sent again. */
export interface UnconsumedObject extends ListedObject {
  /** The stage that should have consumed it, and so the queue to send its event to. */
  readonly stage: 'transform' | 'load';
  readonly table: TargetTableName;
  readonly bucket: string;
}

/** What {@link findUnconsumedObjects} looks at. */
export interface ReconcileOptions {
  readonly ingestBucket: string;
  readonly processedBucket: string;
  /**
   * Objects younger than this are not reported: their stage may still be on them. A stage's
   * function timeout plus its batching window (`reconcileGraceSeconds`) is the natural
   * choice; 0 reports everything. One figure for both stages, or one per stage.
   */
  readonly graceSeconds: number | Readonly<Record<UnconsumedObject['stage'], number>>;
  /** The warehouse tables to look at (default: all). */
  readonly tables?: readonly TargetTableName[];
  readonly now?: Date;
}

/** Where the markers of objects given up are kept, in the ingest bucket. */
export const givenUpPrefix = '_state/given-up/';

/**
 * Where an object whose dead letter an operator purged is marked as given up at `stage`.
 *
 * The mark is in the ingest bucket; reconciliation then leaves the object alone instead of queueing
 * it for another round of failed attempts. A reprocess of its table still sends it.
 */
export function givenUpKey(stage: UnconsumedObject['stage'], key: string): string {
  return `${givenUpPrefix}${stage}/${key}`;
}

/** The unconsumed objects of each stage, oldest first within a table. */
export interface UnconsumedObjects {
  /** Ingest objects without their processed output. */
  readonly transform: readonly UnconsumedObject[];
  /** Processed objects missing from the load ledger; empty when no ledger was given. */
  readonly load: readonly UnconsumedObject[];
}

const processedStem = /^[^/]+\/g(\d+)\/(.+)\.parquet$/;

/** The newest processed object per input (the part after `<table>/g<generation>/`), by generation. */
async function latestProcessed(
  listing: ObjectListing,
  bucket: string,
  table: TargetTableName,
): Promise<Map<string, ListedObject>> {
  const latest = new Map<string, { generation: number; object: ListedObject }>();
  for await (const object of listing.list(bucket, `${table}/`)) {
    const match = processedStem.exec(object.key);
    if (!match?.[1] || !match[2]) continue;
    const generation = Number(match[1]);
    const known = latest.get(match[2]);
    if (!known || known.generation < generation) latest.set(match[2], { generation, object });
  }
  return new Map([...latest].map(([stem, entry]) => [stem, entry.object]));
}

/** The stem a `rows` processed object of `table` would have for an ingest key, or undefined. */
function rowsStem(table: TargetTableName, key: string): string | undefined {
  try {
    const source = parseIngestKey(key);
    if (source.kind === 'snapshot') return undefined;
    const full = processedKey({ kind: 'rows', target: table, generation: 0, source });
    return full.slice(`${table}/g0/`.length, -'.parquet'.length);
  } catch (error) {
    // Not an object the pipeline writes (the extractor's state, a stray upload): nothing consumes it.
    if (error instanceof KeyLayoutError) return undefined;
    throw error;
  }
}

async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/**
 * The ingest objects of `table` its transformer has not consumed: for a table built row by row,
 * every change or rescan object of its input without its processed object; for a dimension
 * rebuilt from snapshots, the newest snapshot when no processed object is built from the latest
 * snapshot of every input (one event rebuilds from all the latest, so one is enough).
 */
async function untransformed(
  listing: ObjectListing,
  options: ReconcileOptions,
  table: TargetTableName,
  processed: ReadonlyMap<string, ListedObject>,
): Promise<ListedObject[]> {
  const inputs = warehouseTables[table].inputs;
  const first = inputs[0];
  if (first === undefined) return []; // dim_date: written when the pipeline is provisioned
  if (sourceTables[first].kind === 'event') {
    const missing: ListedObject[] = [];
    for await (const object of listing.list(options.ingestBucket, `${first}/`)) {
      const stem = rowsStem(table, object.key);
      if (stem !== undefined && !processed.has(stem)) missing.push(object);
    }
    return missing;
  }
  const latest: ListedObject[] = [];
  for (const input of inputs) {
    if (!isReferenceTable(input)) return []; // a table is built from snapshots only, or from changes only
    const snapshots = await toArray(listing.list(options.ingestBucket, snapshotPrefix(input)));
    // Snapshot keys sort by the time they were taken.
    const newest = snapshots.sort((a, b) => a.key.localeCompare(b.key)).at(-1);
    if (!newest) return []; // the dimension waits for its first snapshot of every input
    latest.push(newest);
  }
  const stem = latest
    .map((object, index) => {
      const parsed = parseIngestKey(object.key);
      return parsed.kind === 'snapshot' ? `${inputs[index]}=${parsed.takenAt}-${parsed.hash}` : '';
    })
    .join('/');
  if (processed.has(stem)) return [];
  return latest.sort((a, b) => a.key.localeCompare(b.key)).slice(-1);
}

/**
 * Reconciliation: the stored objects each stage has not consumed.
 *
 * An ingest object without its processed output is the transformer's; a processed object (at its
 * highest generation) missing from the load ledger is the loader's. Objects younger than
 * `graceSeconds` are left out, so a pipeline at work is not flagged. Without a `ledger` the load
 * stage is not looked at. The result feeds `requeueUnconsumed`, which sends each object's event to
 * the queue of the stage that missed it.
 */
export async function findUnconsumedObjects(
  ports: { readonly listing: ObjectListing; readonly ledger?: LedgerQuery },
  options: ReconcileOptions,
): Promise<UnconsumedObjects> {
  const givenUp = new Set<string>();
  for await (const marker of ports.listing.list(options.ingestBucket, givenUpPrefix)) {
    givenUp.add(marker.key.slice(givenUpPrefix.length));
  }
  const wanted = (stage: UnconsumedObject['stage'], key: string) => !givenUp.has(`${stage}/${key}`);
  const now = (options.now ?? new Date()).getTime();
  const grace = options.graceSeconds;
  const cutoff = (stage: UnconsumedObject['stage']) =>
    now - (typeof grace === 'number' ? grace : grace[stage]) * 1000;
  const old = (object: ListedObject, stage: UnconsumedObject['stage']) =>
    object.lastModified.getTime() <= cutoff(stage);
  const transform: UnconsumedObject[] = [];
  const load: UnconsumedObject[] = [];
  for (const table of options.tables ?? warehouseTableNames) {
    const processed = await latestProcessed(ports.listing, options.processedBucket, table);
    for (const object of await untransformed(ports.listing, options, table, processed)) {
      if (old(object, 'transform') && wanted('transform', object.key))
        transform.push({ ...object, stage: 'transform', table, bucket: options.ingestBucket });
    }
    if (!ports.ledger) continue;
    const loaded = await ports.ledger.loadedKeys(table);
    for (const object of processed.values()) {
      if (!loaded.has(object.key) && old(object, 'load') && wanted('load', object.key)) {
        load.push({ ...object, stage: 'load', table, bucket: options.processedBucket });
      }
    }
  }
  return { transform, load };
}
