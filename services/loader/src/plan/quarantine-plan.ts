import type { ProcessedMetadata, QuarantinedRow, SourceTableName } from '@totes/pipeline';
import type { LoadPlan } from './load-plan';

/** When a source row was observed: the time its ingest object was read, then the generation. */
export interface Observation {
  readonly observedAt: string;
  readonly generation: number;
}

/** A quarantined row with the observation it came from, as `etl.quarantine` keeps it. */
export type QuarantineEntry = QuarantinedRow & Observation;

/**
 * What loading an object does to the quarantine, beside recording its `entries`.
 *
 * - `rows-in-object`: a change batch; every source row among the object's rows passed, so its
 *   entries from older observations are released.
 * - `all-but-quarantined`: complete snapshots; every row of each input passed except those the
 *   object quarantines again, so every older entry of that input is released but theirs.
 * - `none`: nothing is released (`reason` says why).
 */
export type QuarantineRelease =
  | {
      readonly kind: 'rows-in-object';
      readonly sourceTable: SourceTableName;
      readonly observation: Observation;
    }
  | {
      readonly kind: 'all-but-quarantined';
      readonly inputs: readonly {
        readonly sourceTable: SourceTableName;
        readonly observation: Observation;
        readonly quarantined: readonly number[];
      }[];
    }
  | { readonly kind: 'none'; readonly reason: string };

/** What {@link quarantinePlan} decides. */
export interface QuarantinePlan {
  readonly entries: readonly QuarantineEntry[];
  readonly release: QuarantineRelease;
}

/**
 * Whether observation `a` is older than `b`.
 *
 * Read earlier, or read at the same time and transformed by an older generation (so a deliberate
 * reprocess after a code fix releases the rows the old code refused).
 */
export function isOlderObservation(a: Observation, b: Observation): boolean {
  return a.observedAt < b.observedAt || (a.observedAt === b.observedAt && a.generation < b.generation);
}

/**
 * The quarantine entries a processed object brings, and which older entries it releases.
 *
 * From its load plan, its footer and its generation. An object written before quarantine (no
 * `totes.observed`) and dim_date do neither. A rebuilt dimension whose footer names only some of
 * its quarantined rows releases nothing, since it cannot tell which rows passed.
 */
export function quarantinePlan(
  plan: LoadPlan,
  metadata: ProcessedMetadata,
  generation: number,
): QuarantinePlan {
  const observed = Object.entries(metadata.observed ?? {}) as [SourceTableName, string][];
  if (observed.length === 0 || plan.kind === 'calendar') {
    return {
      entries: [],
      release: { kind: 'none', reason: 'the object does not say when its rows were observed' },
    };
  }
  if (plan.kind === 'append-facts' || plan.kind === 'upsert-rows') {
    const [[sourceTable, observedAt] = []] = observed;
    const observation = { observedAt: observedAt ?? '', generation };
    const entries = (metadata.quarantine ?? []).map((row) => ({ ...row, ...observation }));
    if (!sourceTable) return { entries, release: { kind: 'none', reason: 'no input' } };
    return { entries, release: { kind: 'rows-in-object', sourceTable, observation } };
  }
  // A rebuilt row joins every input (staff ⋈ department): its verdict can change when any input
  // does, so the whole object is one observation, as new as its newest snapshot. The version
  // guard loads only objects whose every snapshot is at least as new, so this order is theirs.
  const newest =
    observed
      .map(([, at]) => at)
      .sort()
      .at(-1) ?? '';
  const observation = { observedAt: newest, generation };
  const entries = (metadata.quarantine ?? []).map((row) => ({ ...row, ...observation }));
  if ((metadata.quarantined ?? 0) > entries.length) {
    return {
      entries,
      release: { kind: 'none', reason: 'the footer names only some of the quarantined rows' },
    };
  }
  return {
    entries,
    release: {
      kind: 'all-but-quarantined',
      inputs: observed.map(([sourceTable]) => ({
        sourceTable,
        observation,
        quarantined: entries
          .filter((entry) => entry.sourceTable === sourceTable)
          .map((entry) => entry.sourceId),
      })),
    },
  };
}
