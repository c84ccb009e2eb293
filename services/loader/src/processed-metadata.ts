import { z } from 'zod';

/** The key-value metadata every processed object carries in its Parquet footer. */
export const processedMetadataKeys = {
  sources: 'totes.sources',
  maxLastUpdated: 'totes.max_last_updated',
  schemaVersion: 'totes.schema_version',
  rows: 'totes.rows',
} as const;

/** What a processed object says about itself. */
export interface ProcessedMetadata {
  /** The ingest keys it was built from. */
  readonly sources: readonly string[];
  /** The newest source `last_updated` among its rows; absent for dim_date and empty inputs. */
  readonly maxLastUpdated?: string;
  readonly rows: number;
}

const fromFooter = z.object({
  [processedMetadataKeys.sources]: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'not JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(z.string())),
  [processedMetadataKeys.maxLastUpdated]: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/, 'expected YYYY-MM-DD HH:MM:SS.mmm')
    .optional(),
  [processedMetadataKeys.schemaVersion]: z.literal('1', 'only layout version 1 is known'),
  [processedMetadataKeys.rows]: z.string().regex(/^\d+$/, 'expected a whole number').transform(Number),
});

/**
 * Reads the {@link ProcessedMetadata} from a Parquet footer's key-value pairs; throws `RangeError`
 * saying which key is missing or malformed.
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
  return {
    sources: data[processedMetadataKeys.sources],
    ...(maxLastUpdated === undefined ? {} : { maxLastUpdated }),
    rows: data[processedMetadataKeys.rows],
  };
}
