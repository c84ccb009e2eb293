import { z } from 'zod';
import { type QuarantinedRow, quarantineDetailLimit } from './quarantined-row';
import { isSourceTableName, type SourceTableName } from './source-tables';

/**
 * The key-value metadata every processed object carries in its Parquet footer.
 *
 * What the transformer writes and the loader reads (for freshness and its checks).
 */
export const processedMetadataKeys = {
  /** JSON array of the ingest keys the object was built from. */
  sources: 'totes.sources',
  /** The newest source `last_updated` among the input rows (`YYYY-MM-DD HH:MM:SS.mmm`). */
  maxLastUpdated: 'totes.max_last_updated',
  /**
   * When the extractor read the input rows (compact timestamp, UTC; see `observedAtMetadataName`):
   * the order of observations the loader keeps dimension rows in.
   */
  observedAt: 'totes.observed_at',
  /** The version of the object's layout; `1` for this one. */
  schemaVersion: 'totes.schema_version',
  /** The number of rows, in decimal. */
  rows: 'totes.rows',
  /**
   * JSON object: for each ingest input, when its rows were observed (`observedAt`); what orders
   * quarantine entries. Absent in objects written before quarantine.
   */
  observed: 'totes.observed',
  /** The number of rows quarantined (left out), in decimal; absent when none were. */
  quarantined: 'totes.quarantined',
  /** JSON array of the first {@link quarantineDetailLimit} quarantined rows; absent when none were. */
  quarantine: 'totes.quarantine',
} as const;

/** What a processed object says about itself. */
export interface ProcessedMetadata {
  /** The ingest keys it was built from. */
  readonly sources: readonly string[];
  /** The newest source `last_updated` among its rows; absent for dim_date and empty inputs. */
  readonly maxLastUpdated?: string | undefined;
  /**
   * When the extractor read its input rows (compact timestamp, UTC); absent for rebuilt
   * dimensions (their snapshot keys say when), dim_date, and inputs written before the extractor
   * recorded it.
   */
  readonly observedAt?: string | undefined;
  readonly rows: number;
  /** When each input's rows were observed; absent in objects written before quarantine. */
  readonly observed?: Readonly<Partial<Record<SourceTableName, string>>> | undefined;
  /** How many input rows were quarantined (0 when none). */
  readonly quarantined?: number | undefined;
  /** The quarantined rows, the first {@link quarantineDetailLimit} of them. */
  readonly quarantine?: readonly QuarantinedRow[] | undefined;
}

/** The key-value metadata of a processed object, in a fixed order (the bytes stay deterministic). */
export function processedMetadata(metadata: ProcessedMetadata): Record<string, string> {
  return {
    [processedMetadataKeys.sources]: JSON.stringify(metadata.sources),
    ...(metadata.maxLastUpdated === undefined
      ? {}
      : { [processedMetadataKeys.maxLastUpdated]: metadata.maxLastUpdated }),
    ...(metadata.observedAt === undefined ? {} : { [processedMetadataKeys.observedAt]: metadata.observedAt }),
    [processedMetadataKeys.schemaVersion]: '1',
    [processedMetadataKeys.rows]: String(metadata.rows),
    ...(metadata.observed === undefined
      ? {}
      : { [processedMetadataKeys.observed]: JSON.stringify(metadata.observed) }),
    ...(metadata.quarantined
      ? {
          [processedMetadataKeys.quarantined]: String(metadata.quarantined),
          [processedMetadataKeys.quarantine]: JSON.stringify(
            (metadata.quarantine ?? []).slice(0, quarantineDetailLimit),
          ),
        }
      : {}),
  };
}

const jsonText = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

const timestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/, 'expected YYYY-MM-DD HH:MM:SS.mmm');

const sourceTable = z.string().refine(isSourceTableName, 'expected a source table');

const quarantinedRow = z.object({
  sourceTable,
  sourceId: z.number().int(),
  objectKey: z.string(),
  line: z.number().int().positive(),
  column: z.string().nullable(),
  value: z.string().nullable(),
  reason: z.string(),
});

const fromFooter = z.object({
  [processedMetadataKeys.sources]: jsonText.pipe(z.array(z.string())),
  [processedMetadataKeys.maxLastUpdated]: timestamp.optional(),
  [processedMetadataKeys.observedAt]: z
    .string()
    .regex(/^\d{8}T\d{9}$/, 'expected a compact timestamp YYYYMMDDTHHMMSSmmm')
    .optional(),
  [processedMetadataKeys.schemaVersion]: z.literal('1', 'only layout version 1 is known'),
  [processedMetadataKeys.rows]: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number),
  [processedMetadataKeys.observed]: jsonText.pipe(z.record(sourceTable, timestamp)).optional(),
  [processedMetadataKeys.quarantined]: z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .optional(),
  [processedMetadataKeys.quarantine]: jsonText.pipe(z.array(quarantinedRow)).optional(),
});

/**
 * Reads the {@link ProcessedMetadata} from a Parquet footer's key-value pairs.
 *
 * Throws `RangeError` saying which key is missing or malformed.
 */
export function readProcessedMetadata(
  pairs: readonly { readonly key: string; readonly value?: string | undefined }[] | undefined,
): ProcessedMetadata {
  const entries = Object.fromEntries((pairs ?? []).map(({ key, value }) => [key, value]));
  const parsed = fromFooter.safeParse(entries);
  if (!parsed.success) {
    throw new RangeError(`its footer metadata is not a processed object's: ${z.prettifyError(parsed.error)}`);
  }
  const data = parsed.data;
  const maxLastUpdated = data[processedMetadataKeys.maxLastUpdated];
  const observedAt = data[processedMetadataKeys.observedAt];
  const observed = data[processedMetadataKeys.observed] as
    | Partial<Record<SourceTableName, string>>
    | undefined;
  const quarantined = data[processedMetadataKeys.quarantined] ?? 0;
  return {
    sources: data[processedMetadataKeys.sources],
    ...(maxLastUpdated === undefined ? {} : { maxLastUpdated }),
    ...(observedAt === undefined ? {} : { observedAt }),
    rows: data[processedMetadataKeys.rows],
    ...(observed === undefined ? {} : { observed }),
    ...(quarantined === 0
      ? {}
      : {
          quarantined,
          quarantine: (data[processedMetadataKeys.quarantine] ?? []) as readonly QuarantinedRow[],
        }),
  };
}
