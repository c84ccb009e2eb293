/**
 * The S3 user-metadata name of an ingest object's row count.
 *
 * The extractor records there how many rows the object holds, in decimal: what a progress view
 * weighs the object by without reading it.
 */
export const ingestRowsMetadataName = 'rows';

/** The rows an ingest object's user metadata records, or undefined when it records none (or not a count). */
export function ingestRowsOf(metadata: Readonly<Record<string, string>> | undefined): number | undefined {
  const value = metadata?.[ingestRowsMetadataName];
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
