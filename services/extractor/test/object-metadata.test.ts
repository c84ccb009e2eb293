import { sourceTableNames } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import {
  changesMetadata,
  rescanMetadata,
  schemaVersion,
  snapshotMetadata,
} from '../src/store/object-metadata';

describe('object metadata', () => {
  it('records rows, watermark range, schema version and observation time of a change object', () => {
    expect(
      changesMetadata(
        'sales_order',
        3,
        null,
        { lastUpdated: '2022-11-03 14:20:52.186', id: 3 },
        '20241104T091502345',
      ),
    ).toEqual({
      'observed-at': '20241104T091502345',
      rows: '3',
      'schema-version': schemaVersion('sales_order'),
      'watermark-after': 'start',
      'watermark-through': '20221103T142052186-0000000003',
    });
  });

  it('records the id range of a rescan and the content hash of a snapshot', () => {
    expect(rescanMetadata('payment', 2, 'sweep', 1001, 1002, '20241104T091502345')).toMatchObject({
      'observed-at': '20241104T091502345',
      reason: 'sweep',
      'first-id': '1001',
      'last-id': '1002',
    });
    expect(snapshotMetadata('currency', 3, 'abc', '20241104T091502345')).toMatchObject({
      'observed-at': '20241104T091502345',
      rows: '3',
      'content-hash': 'abc',
    });
  });

  it('gives each table a short schema version that tells schemas apart', () => {
    const versions = sourceTableNames.map(schemaVersion);

    expect(new Set(versions).size).toBe(sourceTableNames.length);
    for (const version of versions) expect(version).toMatch(/^[0-9a-f]{12}$/);
  });
});
