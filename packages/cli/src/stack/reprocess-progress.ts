import { HeadObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import {
  type IngestKey,
  ingestCompressionOf,
  ingestCompressions,
  ingestKey,
  ingestObjectSuffixes,
  ingestRowsOf,
  isReferenceTable,
  parseIngestKey,
  parseProcessedKey,
  type SourceTableName,
  type TargetTableName,
  targetsOf,
  warehouseTables,
} from '@totes/pipeline';
import pg from 'pg';
import type { TableCount } from './load-progress';
import type { StoredObject } from './requeue-objects';

/**
 * What a reprocess sent down the pipeline, as its progress view follows it.
 *
 * - `extract`: a `full` re-extraction of `sources` in run `run` (its objects appear as it goes);
 * - `transform`: the events of a warehouse table's stored ingest objects;
 * - `load`: the events of a warehouse table's stored processed objects.
 */
export type ReprocessWork =
  | { readonly from: 'extract'; readonly run: string; readonly sources: readonly SourceTableName[] }
  | {
      readonly from: 'transform' | 'load';
      readonly table: TargetTableName;
      readonly objects: readonly StoredObject[];
    };

/** Where the progress view reads: the buckets, the warehouse's load ledger and totesys's row counts. */
export interface ReprocessProgressSource {
  readonly s3: S3Client;
  readonly ingestBucket: string;
  readonly processedBucket: string;
  readonly warehouseUrl: string;
  readonly totesysUrl: string;
}

/** The keys of the load ledger of one warehouse table, whole and without `<table>/g<n>/` and `.parquet`. */
interface LedgerKeys {
  readonly keys: ReadonlySet<string>;
  readonly stems: ReadonlySet<string>;
}

/** An ingest key without its compression suffix: what a processed key built from it carries. */
function ingestStem(key: string): string {
  const compression = ingestCompressionOf(key);
  return compression ? key.slice(0, -ingestObjectSuffixes[compression].length) : key;
}

/**
 * Whether the rows of an ingest object are in a warehouse table: the ledger holds the processed
 * object built from it (rows of an event table), or a dimension rebuilt from that snapshot.
 */
function ingestLoaded(key: string, ledger: LedgerKeys): boolean {
  const parsed = parseIngestKey(key);
  if (parsed.kind !== 'snapshot') return ledger.stems.has(ingestStem(key));
  const version = `${parsed.table}=${parsed.takenAt}-${parsed.hash}`;
  for (const stem of ledger.stems) if (stem.split('/').includes(version)) return true;
  return false;
}

/** The snapshot key of a rebuilt dimension's input, from the version (`takenAt-hash`) its key names. */
function snapshotOf(
  input: SourceTableName,
  versions: Readonly<Partial<Record<SourceTableName, string>>>,
): IngestKey | undefined {
  const match = /^(\d{8}T\d{9})-([0-9a-f]+)$/.exec(versions[input] ?? '');
  if (!match?.[1] || !match[2] || !isReferenceTable(input)) return undefined;
  return { kind: 'snapshot', table: input, takenAt: match[1], hash: match[2] };
}

/** The tables a reprocess fills: what its sources feed, or the one it redoes. */
export function reprocessTables(work: ReprocessWork): readonly TargetTableName[] {
  if (work.from !== 'extract') return [work.table];
  return [...new Set(work.sources.flatMap((source) => targetsOf(source)))];
}

/**
 * Follows a reprocess through to the warehouse.
 *
 * For each table it fills, the rows of the objects
 * it sent (or, from extract, wrote) whose results the load ledger holds, of the rows expected
 * (the objects' rows; from extract, the rows of the source tables re-extracted). An object whose
 * result was already loaded counts as done at once, since the stage skips it.
 */
export function reprocessProgress(work: ReprocessWork, source: ReprocessProgressSource) {
  const tables = reprocessTables(work);
  const rowsByKey = new Map<string, number>();
  let expectedFromSource: Map<SourceTableName, number> | undefined;

  /** The rows an ingest object holds, as its metadata says (read once: objects never change). */
  async function ingestRows(key: string): Promise<number> {
    const known = rowsByKey.get(key);
    if (known !== undefined) return known;
    const { Metadata } = await source.s3.send(
      new HeadObjectCommand({ Bucket: source.ingestBucket, Key: key }),
    );
    const rows = ingestRowsOf(Metadata) ?? 0;
    rowsByKey.set(key, rows);
    return rows;
  }

  /** The first of `keys` the ingest bucket holds (an object is written with one compression or the other). */
  async function ingestRowsOfAny(keys: readonly string[]): Promise<number> {
    for (const [index, key] of keys.entries()) {
      try {
        return await ingestRows(key);
      } catch (error) {
        if (index === keys.length - 1 || (error as { name?: string }).name !== 'NotFound') throw error;
      }
    }
    return 0;
  }

  /**
   * The rows a processed object carries, read from what it was built from (its own count is in
   * its Parquet footer, not in S3's metadata): the ingest object of a rows object, the snapshot
   * of a rebuilt dimension's first input, the days of a calendar.
   */
  async function processedRows(key: string): Promise<number> {
    const parsed = parseProcessedKey(key);
    if (parsed.kind === 'calendar') {
      const day = (compact: string) =>
        Date.UTC(+compact.slice(0, 4), +compact.slice(4, 6) - 1, +compact.slice(6, 8));
      return Math.round((day(parsed.to) - day(parsed.from)) / 86_400_000) + 1;
    }
    const input =
      parsed.kind === 'rows'
        ? parsed.source
        : snapshotOf(warehouseTables[parsed.target].inputs[0] as SourceTableName, parsed.versions);
    if (!input) return 0;
    return ingestRowsOfAny(ingestCompressions.map((compression) => ingestKey(input, compression)));
  }

  /** The objects of an extract run written so far: a full run's rescans, or snapshots taken since it began. */
  async function runObjects(table: SourceTableName, run: string): Promise<string[]> {
    const reference = isReferenceTable(table);
    const prefix = reference ? `${table}/snapshots/` : `${table}/full/${run}/`;
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2(
      { client: source.s3 },
      { Bucket: source.ingestBucket, Prefix: prefix },
    )) {
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        if (reference) {
          const parsed = parseIngestKey(object.Key);
          if (parsed.kind === 'snapshot' && parsed.takenAt < run) continue;
        }
        keys.push(object.Key);
      }
    }
    return keys;
  }

  async function sourceRows(client: pg.Client, sources: readonly SourceTableName[]) {
    const counts = new Map<SourceTableName, number>();
    for (const table of sources) {
      // Identifiers come from the topology only.
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(table)}`,
      );
      counts.set(table, rows[0]?.n ?? 0);
    }
    return counts;
  }

  async function ledgerOf(client: pg.Client): Promise<Map<TargetTableName, LedgerKeys>> {
    const { rows } = await client.query<{ table_name: TargetTableName; object_key: string }>(
      'SELECT table_name, object_key FROM etl.load_ledger WHERE table_name = ANY($1::text[])',
      [tables],
    );
    const byTable = new Map<TargetTableName, { keys: Set<string>; stems: Set<string> }>();
    for (const table of tables) byTable.set(table, { keys: new Set(), stems: new Set() });
    for (const row of rows) {
      const entry = byTable.get(row.table_name);
      entry?.keys.add(row.object_key);
      entry?.stems.add(row.object_key.replace(/^[^/]+\/g\d+\//, '').replace(/\.parquet$/, ''));
    }
    return byTable;
  }

  async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** One table's rows done and expected, against its ledger's keys. */
  async function countOf(table: TargetTableName, loaded: LedgerKeys) {
    let done = 0;
    let expected = 0;
    if (work.from === 'extract') {
      const { run, sources } = work;
      expectedFromSource ??= await withClient(source.totesysUrl, (client) => sourceRows(client, sources));
      for (const input of sources.filter((name) => targetsOf(name).includes(table))) {
        expected += expectedFromSource.get(input) ?? 0;
        for (const key of await runObjects(input, run)) {
          if (ingestLoaded(key, loaded)) done += await ingestRows(key);
        }
      }
      return { done, expected };
    }
    for (const object of work.objects) {
      const rows = work.from === 'load' ? await processedRows(object.key) : await ingestRows(object.key);
      expected += rows;
      const isLoaded = work.from === 'load' ? loaded.keys.has(object.key) : ingestLoaded(object.key, loaded);
      if (isLoaded) done += rows;
    }
    return { done, expected };
  }

  return {
    tables,
    /** Rows done of rows expected, per table, as the buckets and the ledger say now. */
    async sample(): Promise<TableCount[]> {
      const ledger = await withClient(source.warehouseUrl, ledgerOf);
      const counts: TableCount[] = [];
      for (const table of tables) {
        const loaded = ledger.get(table) ?? { keys: new Set<string>(), stems: new Set<string>() };
        const { done, expected } = await countOf(table, loaded);
        counts.push({ table, done: Math.min(done, expected), expected });
      }
      return counts;
    },
  };
}
