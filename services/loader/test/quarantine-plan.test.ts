import type { ProcessedMetadata, QuarantinedRow } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { isOlderObservation, quarantinePlan } from '../src/plan/quarantine-plan';

const bad = (sourceTable: QuarantinedRow['sourceTable'], sourceId: number): QuarantinedRow => ({
  sourceTable,
  sourceId,
  objectKey: `${sourceTable}/x.jsonl.zst`,
  line: sourceId,
  column: 'c',
  value: '"v"',
  reason: 'r',
});

const metadata = (extra: Partial<ProcessedMetadata>): ProcessedMetadata => ({
  sources: [],
  rows: 2,
  ...extra,
});

describe('isOlderObservation', () => {
  it('orders by when the rows were read, then by generation', () => {
    const at = (observedAt: string, generation = 1) => ({ observedAt, generation });
    expect(isOlderObservation(at('2024-11-04 09:00:00.000'), at('2024-11-04 09:00:00.001'))).toBe(true);
    expect(isOlderObservation(at('2024-11-04 09:00:00.001'), at('2024-11-04 09:00:00.000', 9))).toBe(false);
    expect(isOlderObservation(at('2024-11-04 09:00:00.000', 1), at('2024-11-04 09:00:00.000', 2))).toBe(true);
    expect(isOlderObservation(at('2024-11-04 09:00:00.000', 2), at('2024-11-04 09:00:00.000', 2))).toBe(
      false,
    );
  });
});

describe('quarantinePlan', () => {
  const observed = { sales_order: '2024-11-04 10:00:00.000' };

  it('records a change object’s entries at its observation and releases rows the object carries', () => {
    const plan = quarantinePlan(
      { kind: 'append-facts' },
      metadata({ observed, quarantined: 1, quarantine: [bad('sales_order', 7)] }),
      2,
    );
    expect(plan).toEqual({
      entries: [{ ...bad('sales_order', 7), observedAt: '2024-11-04 10:00:00.000', generation: 2 }],
      release: {
        kind: 'rows-in-object',
        sourceTable: 'sales_order',
        observation: { observedAt: '2024-11-04 10:00:00.000', generation: 2 },
      },
    });
  });

  it('releases, for complete snapshots, every older entry of each input but the rows quarantined again, as of the newest snapshot', () => {
    const snapshots = { staff: '2024-11-05 09:00:00.000', department: '2024-11-04 09:00:00.000' };
    const plan = quarantinePlan(
      { kind: 'rebuild-dimension', version: { versions: {}, generation: 1 } },
      metadata({ observed: snapshots, quarantined: 2, quarantine: [bad('staff', 3), bad('department', 5)] }),
      1,
    );
    expect(plan.release).toEqual({
      kind: 'all-but-quarantined',
      inputs: [
        {
          sourceTable: 'staff',
          observation: { observedAt: snapshots.staff, generation: 1 },
          quarantined: [3],
        },
        {
          sourceTable: 'department',
          observation: { observedAt: snapshots.staff, generation: 1 },
          quarantined: [5],
        },
      ],
    });
    // A joined row's verdict depends on every input, so the object is as new as its newest snapshot.
    expect(plan.entries.map((entry) => entry.observedAt)).toEqual([snapshots.staff, snapshots.staff]);
  });

  it('releases nothing from snapshots whose footer names only some of the quarantined rows', () => {
    const plan = quarantinePlan(
      { kind: 'rebuild-dimension', version: { versions: {}, generation: 1 } },
      metadata({
        observed: { currency: '2024-11-04 09:00:00.000' },
        quarantined: 1001,
        quarantine: [bad('currency', 1)],
      }),
      1,
    );
    expect(plan.release.kind).toBe('none');
    expect(plan.entries).toHaveLength(1);
  });

  it('does nothing for an object written before quarantine, or for dim_date', () => {
    expect(quarantinePlan({ kind: 'upsert-rows' }, metadata({}), 1)).toEqual({
      entries: [],
      release: { kind: 'none', reason: expect.any(String) },
    });
    expect(quarantinePlan({ kind: 'calendar' }, metadata({ observed }), 1).release.kind).toBe('none');
  });
});
