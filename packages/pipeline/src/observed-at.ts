import { compactTimestampOf, isCompactTimestamp } from './compact-timestamp';

/**
 * The S3 user-metadata name under which the extractor records when it read an object's rows.
 *
 * The value is a compact timestamp in UTC (`20241104T091502345`), taken just before the read's
 * snapshot, like a snapshot key's `takenAt`.
 *
 * This, not `last_updated` (which silent edits leave unchanged), orders observations of a row:
 * the loader never lets an older observation overwrite a newer one. Objects written before the
 * extractor recorded it have no such metadata.
 */
export const observedAtMetadataName = 'observed-at';

/** A time as an observation time (a compact timestamp in UTC). */
export function observedAtOf(date: Date): string {
  return compactTimestampOf(date);
}

/**
 * The observation time an ingest object's user metadata records.
 *
 * Undefined when it records none, or something that is not a compact timestamp.
 */
export function observedAtIn(metadata: Readonly<Record<string, string>>): string | undefined {
  const value = metadata[observedAtMetadataName];
  return value !== undefined && isCompactTimestamp(value) ? value : undefined;
}
