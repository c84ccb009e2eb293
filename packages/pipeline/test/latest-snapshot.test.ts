import { describe, expect, it } from 'vitest';
import { ingestKey, latestSnapshot, snapshotPrefix } from '../src/index';

async function* listed(...keys: string[]) {
  for (const key of keys) yield { key };
}

const snapshot = (takenAt: string, hash: string) =>
  ingestKey({ kind: 'snapshot', table: 'staff', takenAt, hash });

describe('latestSnapshot', () => {
  it('takes the snapshot taken last, whatever the listing order', async () => {
    const older = snapshot('20241104T091502345', '0123456789abcdef');
    const newer = snapshot('20241105T091502345', 'fedcba9876543210');
    expect(await latestSnapshot(listed(newer, older), 'staff')).toMatchObject({
      key: newer,
      kind: 'snapshot',
      table: 'staff',
      takenAt: '20241105T091502345',
      hash: 'fedcba9876543210',
    });
  });

  it('skips keys that are not snapshots of the table', async () => {
    const only = snapshot('20241104T091502345', '0123456789abcdef');
    const stray = `${snapshotPrefix('staff')}notes.txt`;
    const other = ingestKey({
      kind: 'snapshot',
      table: 'address',
      takenAt: '20251104T091502345',
      hash: 'aa',
    });
    expect((await latestSnapshot(listed(only, stray, other), 'staff'))?.key).toBe(only);
  });

  it('finds none before the first snapshot', async () => {
    expect(await latestSnapshot(listed(), 'staff')).toBeUndefined();
  });

  it('keeps snapshots under the table’s prefix', () => {
    expect(snapshot('20241104T091502345', '0123456789abcdef').startsWith(snapshotPrefix('staff'))).toBe(true);
  });
});
