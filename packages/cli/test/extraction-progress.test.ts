import { PutObjectCommand } from '@aws-sdk/client-s3';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import {
  type ExtractionProgress,
  extractionProgress,
  progressSummary,
} from '../src/stack/extraction-progress';

const pipeline = useTestPipeline();

/** Writes a table's extraction state into the ingest bucket as the extractor would. */
async function putState(table: string, body: string): Promise<void> {
  const { clients, names } = pipeline();
  await clients.s3.send(
    new PutObjectCommand({ Bucket: names.ingestBucket, Key: `_state/extract/${table}.json`, Body: body }),
  );
}

const never: Omit<ExtractionProgress, 'table' | 'kind'> = {
  stateSavedAt: null,
  extractedUpTo: null,
  extractedUpToId: null,
  firstExtraction: null,
  fullRun: null,
  snapshot: null,
  lastSweep: null,
  problem: null,
};

describe('where the extraction of each source table stands', () => {
  it('reads every table from its state in the ingest bucket, and says what it cannot read', async () => {
    await putState(
      'sales_order',
      JSON.stringify({
        watermark: { lastUpdated: '2024-11-04 09:15:00.123', id: 42 },
        sweep: { bucketRows: 1000, hashes: [null], run: '20241104T091500123', afterBucket: 0 },
      }),
    );
    await putState(
      'payment',
      JSON.stringify({ initial: { horizon: '2024-11-04 09:00:00.000', afterId: 7 } }),
    );
    await putState(
      'staff',
      JSON.stringify({ snapshot: { key: 'snapshots/staff/x.jsonl.zst', hash: 'abc' } }),
    );
    await putState('address', '{"watermark": ');
    await putState('design', JSON.stringify({ watermark: { lastUpdated: 'yesterday', id: -1 } }));

    const { clients, names } = pipeline();
    const progress = await extractionProgress(clients.s3, names.ingestBucket);
    const of = (table: string) => progress.find((entry) => entry.table === table);

    expect(progress.map((entry) => entry.table)).toContain('counterparty');
    expect(of('sales_order')).toMatchObject({
      kind: 'event',
      extractedUpTo: '2024-11-04 09:15:00.123',
      lastSweep: '20241104T091500123',
      problem: null,
    });
    expect(of('sales_order')?.stateSavedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(of('payment')?.firstExtraction).toEqual({ horizon: '2024-11-04 09:00:00.000', afterId: 7 });
    expect(of('staff')).toMatchObject({ kind: 'reference', snapshot: 'snapshots/staff/x.jsonl.zst' });
    expect(of('counterparty')).toEqual({ table: 'counterparty', kind: 'reference', ...never });
    expect(of('address')?.problem).toBe(`s3://${names.ingestBucket}/_state/extract/address.json is not JSON`);
    expect(of('design')?.problem).toMatch(
      new RegExp(
        `^s3://${names.ingestBucket}/_state/extract/design\\.json is malformed \\(watermark\\.lastUpdated: `,
      ),
    );
  });

  it('says why it could not read a bucket that is not there', async () => {
    const { clients } = pipeline();
    const progress = await extractionProgress(clients.s3, 'no-such-bucket-for-progress');
    expect(
      progress.every((entry) =>
        entry.problem?.startsWith('could not read s3://no-such-bucket-for-progress/'),
      ),
    ).toBe(true);
  });
});

describe('the words for where an extraction stands', () => {
  const table = { table: 'sales_order', kind: 'event' } as const;

  it('names the problem first', () => {
    expect(progressSummary({ ...table, ...never, extractedUpTo: 'x', problem: 'not JSON' })).toBe(
      '? (not JSON)',
    );
  });

  it('tells the first extraction, then incremental extraction with its latest sweep', () => {
    expect(
      progressSummary({
        ...table,
        ...never,
        firstExtraction: { horizon: '2024-11-04 09:00:00.000', afterId: 7 },
      }),
    ).toBe('first extraction: rows before 2024-11-04 09:00:00.000, up to id 7');
    expect(progressSummary({ ...table, ...never, extractedUpTo: '2024-11-04 09:15:00.123' })).toBe(
      'rows up to 2024-11-04 09:15:00.123',
    );
    expect(
      progressSummary({
        ...table,
        ...never,
        extractedUpTo: '2024-11-04 09:15:00.123',
        lastSweep: '20241104T091500123',
      }),
    ).toBe('rows up to 2024-11-04 09:15:00.123; last sweep 20241104T091500123');
  });

  it('tells a reference table by its snapshot, and a table never extracted', () => {
    expect(progressSummary({ ...table, kind: 'reference', ...never, snapshot: 'snapshots/staff/x' })).toBe(
      'snapshot snapshots/staff/x',
    );
    expect(progressSummary({ ...table, ...never })).toBe('not extracted yet');
  });
});
