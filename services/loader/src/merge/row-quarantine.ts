import type pg from 'pg';
import type { ProcessedParquet } from '../copy/processed-parquet';
import type { Observation, QuarantinePlan } from '../plan/quarantine-plan';
import { qualifiedName, sqlIdentifier } from '../statements/sql-identifier';
import type { TableLayout } from '../statements/table-layout';

/** What {@link rowQuarantine} changed. */
export interface QuarantineChange {
  /** Entries recorded (those of an older observation than one already kept are not). */
  readonly recorded: number;
  /** Entries deleted because a later observation of their source row passed. */
  readonly released: number;
}

const releaseStatement = (which: string) =>
  'WITH released AS (DELETE FROM etl.quarantine q WHERE q.table_name = $1 AND q.source_table = $2 ' +
  `AND ${which} AND (q.observed_at, q.generation) < ($4::timestamp(3), $5) RETURNING q.source_id), ` +
  'marked AS (INSERT INTO etl.quarantine_release AS r ' +
  '(table_name, source_table, source_id, observed_at, generation, processed_key) ' +
  'SELECT DISTINCT $1, $2, source_id, $4::timestamp(3), $5::integer, $6 FROM released ' +
  'ON CONFLICT (table_name, source_table, source_id) DO UPDATE SET observed_at = EXCLUDED.observed_at, ' +
  'generation = EXCLUDED.generation, processed_key = EXCLUDED.processed_key, released_at = now() ' +
  'WHERE (r.observed_at, r.generation) < (EXCLUDED.observed_at, EXCLUDED.generation)) ' +
  'SELECT count(*)::integer AS released FROM released';

const releaseListed = releaseStatement('q.source_id = ANY($3::integer[])');
const releaseAllBut = releaseStatement('q.source_id <> ALL($3::integer[])');

const sameRow = (alias: string) =>
  `${alias}.table_name = $1 AND ${alias}.source_table = e.source_table AND ${alias}.source_id = e.source_id`;

/**
 * Whether the table already holds a version of the entry's row (`e`) made after the entry's
 * observation: a fact version whose `last_updated` is later, or a dimension row written by an
 * object whose newest `last_updated` is later. Either was read later, so it outranks the entry
 * even when it loaded first (messages arrive in any order) and nothing was there to release.
 */
function newerVersionLoaded(layout: TableLayout): string {
  const key = sqlIdentifier(layout.naturalKey);
  if (layout.kind === 'fact') {
    return (
      `EXISTS (SELECT 1 FROM ${qualifiedName('public', layout.table)} f WHERE f.${key} = e.source_id ` +
      'AND f.last_updated_date + f.last_updated_time > e.observed_at)'
    );
  }
  return (
    'EXISTS (SELECT 1 FROM etl.dimension_row_version v WHERE v.table_name = $1 ' +
    'AND v.natural_id = e.source_id::text AND v.version > e.observed_at)'
  );
}

const recordStatement = (layout: TableLayout, rowsInObject: boolean) =>
  'WITH e AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS e(source_table text, source_id integer, ' +
  'object_key text, line integer, column_name text, value text, reason text, observed_at timestamp(3), ' +
  'generation integer)), ' +
  // An entry is kept only when no later observation of its source row is known, failed or passed.
  `fresh AS (SELECT e.* FROM e WHERE NOT EXISTS (SELECT 1 FROM etl.quarantine q WHERE ${sameRow('q')} ` +
  'AND (q.observed_at, q.generation) > (e.observed_at, e.generation)) ' +
  `AND NOT EXISTS (SELECT 1 FROM etl.quarantine_release r WHERE ${sameRow('r')} ` +
  'AND (r.observed_at, r.generation) >= (e.observed_at, e.generation))' +
  `${rowsInObject ? ` AND NOT ${newerVersionLoaded(layout)}` : ''}), ` +
  // It replaces the entries of earlier observations of the same row, keeping when it began.
  'replaced AS (DELETE FROM etl.quarantine q USING fresh e WHERE ' +
  `${sameRow('q')} AND (q.observed_at, q.generation) < (e.observed_at, e.generation) ` +
  'RETURNING q.source_table, q.source_id, q.since), ' +
  'recorded AS (INSERT INTO etl.quarantine (table_name, source_table, source_id, object_key, line, ' +
  'column_name, value, reason, observed_at, generation, processed_key, since) ' +
  'SELECT $1, e.source_table, e.source_id, e.object_key, e.line, e.column_name, e.value, e.reason, ' +
  'e.observed_at, e.generation, $3, COALESCE((SELECT min(r.since) FROM replaced r ' +
  'WHERE r.source_table = e.source_table AND r.source_id = e.source_id), now()) FROM fresh e ' +
  'ON CONFLICT DO NOTHING RETURNING 1) ' +
  'SELECT count(*)::integer AS recorded FROM recorded';

/** The source ids among `candidates` that the object holds rows for, read from its natural-key column. */
async function idsInObject(
  parquet: ProcessedParquet,
  layout: TableLayout,
  candidates: ReadonlySet<number>,
): Promise<number[]> {
  const index = layout.columns.findIndex((column) => column.name === layout.naturalKey);
  const found = new Set<number>();
  for await (const group of parquet.rowGroups()) {
    const ids = group.columns[index] ?? [];
    for (let row = 0; row < group.rows; row += 1) {
      const id = Number(ids[row]);
      if (candidates.has(id)) found.add(id);
    }
  }
  return [...found];
}

async function release(
  client: pg.ClientBase,
  statement: string,
  scope: {
    table: string;
    sourceTable: string;
    ids: readonly number[];
    observation: Observation;
    key: string;
  },
): Promise<number> {
  const { rows } = await client.query<{ released: number }>(statement, [
    scope.table,
    scope.sourceTable,
    scope.ids,
    scope.observation.observedAt,
    scope.observation.generation,
    scope.key,
  ]);
  return rows[0]?.released ?? 0;
}

/**
 * `etl.quarantine`, kept inside the load's transaction so that it moves with the rows and the ledger entry.
 *
 * A replayed object is acknowledged by the ledger and changes nothing here. `apply` releases the
 * entries of source rows that the object now carries (or, for complete snapshots, did not
 * quarantine again) from older observations, then records the object's own entries unless a later
 * observation of their row is already known (an entry, a release, or a later version in the table).
 * A rebuilt dimension needs no such check: the version guard refuses an object built from older
 * snapshots before it gets here.
 */
export const rowQuarantine = {
  async apply(
    client: pg.ClientBase,
    request: {
      readonly key: string;
      readonly layout: TableLayout;
      readonly parquet: ProcessedParquet;
      readonly plan: QuarantinePlan;
    },
  ): Promise<QuarantineChange> {
    const { key, layout, parquet, plan } = request;
    const table = layout.table;
    let released = 0;
    const { release: scope } = plan;
    if (scope.kind === 'rows-in-object') {
      const { rows } = await client.query<{ source_id: number }>(
        'SELECT DISTINCT source_id FROM etl.quarantine WHERE table_name = $1 AND source_table = $2 ' +
          'AND (observed_at, generation) < ($3::timestamp(3), $4)',
        [table, scope.sourceTable, scope.observation.observedAt, scope.observation.generation],
      );
      // Usually none: the object's rows are read again only when one may release an entry.
      if (rows.length > 0 && parquet.rows > 0) {
        const ids = await idsInObject(parquet, layout, new Set(rows.map((row) => row.source_id)));
        if (ids.length > 0) {
          released += await release(client, releaseListed, { table, ...scope, ids, key });
        }
      }
    } else if (scope.kind === 'all-but-quarantined') {
      for (const input of scope.inputs) {
        released += await release(client, releaseAllBut, {
          table,
          sourceTable: input.sourceTable,
          ids: input.quarantined,
          observation: input.observation,
          key,
        });
      }
    }
    let recorded = 0;
    if (plan.entries.length > 0) {
      const entries = plan.entries.map((entry) => ({
        source_table: entry.sourceTable,
        source_id: entry.sourceId,
        object_key: entry.objectKey,
        line: entry.line,
        column_name: entry.column,
        value: entry.value,
        reason: entry.reason,
        observed_at: entry.observedAt,
        generation: entry.generation,
      }));
      const statement = recordStatement(layout, scope.kind === 'rows-in-object');
      const { rows } = await client.query<{ recorded: number }>(statement, [
        table,
        JSON.stringify(entries),
        key,
      ]);
      recorded = rows[0]?.recorded ?? 0;
    }
    return { recorded, released };
  },
};
