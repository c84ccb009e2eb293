import { text } from 'node:stream/consumers';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { inBatches } from '@totes/local';
import {
  ExtractState,
  type SourceTableName,
  sourceTableNames,
  sourceTables,
  stateKey,
} from '@totes/pipeline';
import { errorSummary } from '../error-summary';

/** Where the extraction of a source table stands, as its state in the ingest bucket says. */
export interface ExtractionProgress {
  readonly table: SourceTableName;
  readonly kind: 'event' | 'reference';
  /** When the extractor last saved the state (it does after every object); null if it never has. */
  readonly stateSavedAt: string | null;
  /** Event tables: the `last_updated` of the last row taken, once the first extraction is done. */
  readonly extractedUpTo: string | null;
  /** Event tables: the key of that row (the watermark is the pair). */
  readonly extractedUpToId: number | null;
  /** Event tables, while the first extraction runs: its horizon, and the last key taken below it. */
  readonly firstExtraction: { readonly horizon: string; readonly afterId: number } | null;
  /** Reference tables: the key of the latest snapshot. */
  readonly snapshot: string | null;
  /** The latest full re-extraction (`totes reprocess`): its run and the last key it took. */
  readonly fullRun: { readonly run: string; readonly afterId: number } | null;
  /** Event tables: the run of the latest sweep for silent edits. */
  readonly lastSweep: string | null;
  /** Why the state could not be read, if it could not. */
  readonly problem: string | null;
}

const unknown = {
  extractedUpTo: null,
  extractedUpToId: null,
  firstExtraction: null,
  fullRun: null,
  snapshot: null,
  lastSweep: null,
} as const;

async function progressOf(s3: S3Client, bucket: string, table: SourceTableName): Promise<ExtractionProgress> {
  const { kind } = sourceTables[table];
  const key = stateKey(table);
  let stateSavedAt: string | null = null;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    stateSavedAt = object.LastModified?.toISOString() ?? null;
    const parsed = ExtractState.safeParse(JSON.parse(await text(object.Body as NodeJS.ReadableStream)));
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'state'}: ${issue.message}`,
      );
      const problem = `s3://${bucket}/${key} is malformed (${issues.join('; ')})`;
      return { table, kind, stateSavedAt, ...unknown, problem };
    }
    const state = parsed.data;
    return {
      table,
      kind,
      stateSavedAt,
      extractedUpTo: state.watermark?.lastUpdated ?? null,
      extractedUpToId: state.watermark?.id ?? null,
      firstExtraction: state.initial,
      fullRun: state.full,
      snapshot: state.snapshot?.key ?? null,
      lastSweep: state.sweep?.run ?? null,
      problem: null,
    };
  } catch (error) {
    if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
      return { table, kind, stateSavedAt: null, ...unknown, problem: null };
    }
    const problem =
      error instanceof SyntaxError
        ? `s3://${bucket}/${key} is not JSON`
        : `could not read s3://${bucket}/${key}: ${errorSummary(error)}`;
    return { table, kind, stateSavedAt, ...unknown, problem };
  }
}

/**
 * The extraction state of source tables in `bucket` (the ingest bucket), read a few at a time.
 *
 * Every source table by default.
 */
export function extractionProgress(
  s3: S3Client,
  bucket: string,
  tables: readonly SourceTableName[] = sourceTableNames,
): Promise<ExtractionProgress[]> {
  return inBatches(tables, 4, (table) => progressOf(s3, bucket, table));
}

/**
 * Forgets where a table's extraction stands, so its next extraction starts from scratch.
 *
 * It deletes the table's state object in the ingest bucket: an event table is extracted again from
 * its first row, and a reference table gets a new snapshot. The objects already written stay, and
 * the stages skip what they already hold. This module is the CLI's one reader and writer of the
 * extractor's state.
 */
export async function resetExtraction(s3: S3Client, bucket: string, table: SourceTableName): Promise<string> {
  const key = stateKey(table);
  await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  return `s3://${bucket}/${key}`;
}

/** One line's words for where a table's extraction stands. */
export function progressSummary(progress: ExtractionProgress): string {
  if (progress.problem) return `? (${progress.problem})`;
  if (progress.firstExtraction) {
    const { horizon, afterId } = progress.firstExtraction;
    return `first extraction: rows before ${horizon}, up to id ${afterId}`;
  }
  if (progress.extractedUpTo) {
    const sweep = progress.lastSweep ? `; last sweep ${progress.lastSweep}` : '';
    return `rows up to ${progress.extractedUpTo}${sweep}`;
  }
  if (progress.snapshot) return `snapshot ${progress.snapshot}`;
  return 'not extracted yet';
}
