/** The Parquet key-value metadata keys of a processed object. */
export const processedMetadataKeys = {
  /** JSON array of the ingest keys the object was built from. */
  sources: 'totes.sources',
  /** The newest source `last_updated` among the input rows (`YYYY-MM-DD HH:MM:SS.mmm`). */
  maxLastUpdated: 'totes.max_last_updated',
  /** The version of the object's layout; `1` for this one. */
  schemaVersion: 'totes.schema_version',
  /** The number of rows, in decimal. */
  rows: 'totes.rows',
} as const;

/** What a processed object says about itself. */
export interface ProcessedMetadata {
  readonly sources: readonly string[];
  /** Absent when no input row has one (dim_date, an empty input). */
  readonly maxLastUpdated?: string | undefined;
  readonly rows: number;
}

/** The key-value metadata of a processed object, in a fixed order (the bytes stay deterministic). */
export function processedMetadata(metadata: ProcessedMetadata): Record<string, string> {
  return {
    [processedMetadataKeys.sources]: JSON.stringify(metadata.sources),
    ...(metadata.maxLastUpdated === undefined
      ? {}
      : { [processedMetadataKeys.maxLastUpdated]: metadata.maxLastUpdated }),
    [processedMetadataKeys.schemaVersion]: '1',
    [processedMetadataKeys.rows]: String(metadata.rows),
  };
}
