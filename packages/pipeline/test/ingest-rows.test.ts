import { describe, expect, it } from 'vitest';
import { ingestRowsMetadataName, ingestRowsOf } from '../src/ingest-rows';

describe('the rows an ingest object records', () => {
  it('reads a whole number from the metadata', () => {
    expect(ingestRowsOf({ [ingestRowsMetadataName]: '50000', 'observed-at': '20241104T091502345' })).toBe(
      50000,
    );
    expect(ingestRowsOf({ [ingestRowsMetadataName]: '0' })).toBe(0);
  });

  it('is undefined when the metadata records no count, or not a whole number', () => {
    expect(ingestRowsOf(undefined)).toBeUndefined();
    expect(ingestRowsOf({})).toBeUndefined();
    expect(ingestRowsOf({ [ingestRowsMetadataName]: '-3' })).toBeUndefined();
    expect(ingestRowsOf({ [ingestRowsMetadataName]: '12 rows' })).toBeUndefined();
  });
});
