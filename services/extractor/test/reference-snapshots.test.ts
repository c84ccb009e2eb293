import { compactTimestampOf, parseIngestKey } from '@totes/pipeline';
import { editReference, silentEdit } from '@totes/totesys-sim';
import { describe, expect, it } from 'vitest';
import { keysOf, objectText, rowsOf, sourceRows, useExtractorTestbed } from './extractor-testbed';

describe('snapshots of a reference table', () => {
  const testbed = useExtractorTestbed();

  it('are written when the content changes and only then', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'staff' });

    await extract({ mode: 'incremental', table: 'staff' });
    await extract({ mode: 'incremental', table: 'staff' });
    const afterTwoRuns = await keysOf(store, 'staff/snapshots/');
    await editReference(totesys.client, { table: 'staff', id: 3 });
    await extract({ mode: 'incremental', table: 'staff' });
    await extract({ mode: 'sweep', table: 'staff', run: '20241104T091502345' });

    const snapshots = await keysOf(store, 'staff/snapshots/');
    expect(afterTwoRuns).toHaveLength(1);
    expect(snapshots).toHaveLength(2);
    expect(await rowsOf(store, snapshots[1] ?? '')).toEqual(await sourceRows(totesys.client, 'staff'));
  });

  it('catch a silent edit that leaves every last_updated as it was', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const extract = testbed.handler(totesys, store, { table: 'design' });
    await extract({ mode: 'incremental', table: 'design' });
    const { rows: before } = await totesys.client.query(
      'SELECT max(last_updated)::text AS latest FROM design',
    );

    const edit = await silentEdit(totesys.client, { table: 'design', id: 2 });
    await extract({ mode: 'incremental', table: 'design' });

    const { rows: after } = await totesys.client.query(
      'SELECT max(last_updated)::text AS latest FROM design',
    );
    expect(after).toEqual(before);
    const snapshots = await keysOf(store, 'design/snapshots/');
    expect(snapshots).toHaveLength(2);
    const [first, second] = snapshots.map((key) => parseIngestKey(key));
    expect(first?.kind === 'snapshot' && second?.kind === 'snapshot' && first.hash !== second.hash).toBe(
      true,
    );
    const edited = (await rowsOf(store, snapshots[1] ?? '')).find((row) => row.design_id === 2);
    expect(edited?.file_location).toBe(edit.after);
  });

  it('are named by the time taken and the hash of their content, which their metadata repeats', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    const takenAt = new Date('2024-11-04T09:15:02.345Z');
    const extract = testbed.handler(totesys, store, { table: 'currency' }, { now: () => takenAt });

    await extract({ mode: 'incremental', table: 'currency' });

    const [key] = await keysOf(store, 'currency/snapshots/');
    const parsed = parseIngestKey(key ?? '');
    expect(parsed).toMatchObject({ kind: 'snapshot', takenAt: '20241104T091502345' });
    const head = await store.head(key ?? '');
    expect(head?.metadata).toEqual({
      'observed-at': '20241104T091502345',
      rows: '3',
      'schema-version': expect.stringMatching(/^[0-9a-f]{12}$/),
      'content-hash': 'hash' in parsed ? parsed.hash : '',
    });
    const body = await objectText(store, key ?? '');
    expect(body.split('\n')).toEqual([
      expect.stringContaining('"GBP"'),
      expect.stringContaining('"USD"'),
      expect.stringContaining('"EUR"'),
      '',
    ]);
  });

  it('are written again by a full request, once per run, even when nothing changed', async () => {
    const totesys = await testbed.totesys({ scale: 0.01 });
    const store = await testbed.bucket();
    let now = new Date('2024-11-04T09:00:00.000Z');
    const extract = testbed.handler(totesys, store, { table: 'address' }, { now: () => now });
    await extract({ mode: 'incremental', table: 'address' });

    now = new Date('2024-11-04T10:00:00.000Z');
    await extract({ mode: 'full', table: 'address', run: '20241104T100000000' });
    await extract({ mode: 'full', table: 'address', run: '20241104T100000000' });

    const snapshots = await keysOf(store, 'address/snapshots/');
    expect(snapshots).toHaveLength(2);
    expect(parseIngestKey(snapshots[1] ?? '')).toMatchObject({ takenAt: compactTimestampOf(now) });
  });
});
