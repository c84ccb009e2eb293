import {
  type SourceTableName,
  type TargetTableName,
  warehouseTableNames,
  warehouseTables,
} from '@totes/pipeline';
import { type Kysely, sql } from 'kysely';
import type { DashboardDatabase } from './dashboard-database';

/**
 * One warehouse table's health.
 *
 * The same facts as a line of `totes status`, and the rows loaded in the last hour. A fact that
 * cannot be known where the dashboard runs (the source's rows without access to totesys, the queues
 * without access to them) is null.
 */
export interface TableHealth {
  readonly table: TargetTableName;
  readonly source: SourceTableName | null;
  readonly sourceRows: number | null;
  readonly warehouseRows: number | null;
  /** Seconds since the newest source change loaded into the table was made. */
  readonly freshnessSeconds: number | null;
  readonly queued: number | null;
  readonly deadLetters: number | null;
  readonly quarantined: number | null;
  /** Rows inserted or updated by loads in the last hour. */
  readonly rowsLoadedLastHour: number | null;
}

/** What a caller that can see the source and the queues (the local stack) adds to the warehouse's view. */
export type PipelineStatus = readonly Pick<TableHealth, 'table' | 'sourceRows' | 'queued' | 'deadLetters'>[];

/** The pipeline's health as the dashboard shows it. */
export interface PipelineHealth {
  readonly at: string;
  readonly warehouseReachable: boolean;
  readonly tables: readonly TableHealth[];
}

async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch {
    return undefined;
  }
}

/**
 * Reads the pipeline's health from the warehouse and, when given, from `status`.
 *
 * From the warehouse: row counts, `etl.freshness`, `etl.quarantine`, the load ledger's last hour;
 * from `status`: source rows and queues. Each part that fails is left null, so the page answers
 * with what it can know, even with no stack at all.
 */
export async function pipelineHealth(
  db: Kysely<DashboardDatabase> | undefined,
  status?: () => Promise<PipelineStatus>,
  now = new Date(),
): Promise<PipelineHealth> {
  // Everything at once: the row counts (most of the time, at scale) need not wait for the rest.
  const counting = db
    ? orUndefined(
        Promise.all(
          warehouseTableNames.map((table) =>
            db
              .selectFrom(table)
              .select(sql<number>`count(*)::integer`.as('n'))
              .executeTakeFirstOrThrow()
              .then((row) => [table, row.n] as const),
          ),
        ),
      )
    : undefined;
  const [counts, fresh, held, loaded, external] = await Promise.all([
    counting,
    db
      ? orUndefined(
          db
            .selectFrom('etl.freshness')
            .select([
              'table_name',
              sql<number>`extract(epoch FROM (${now.toISOString()}::timestamptz AT TIME ZONE 'UTC') - max_last_updated)::float8`.as(
                'seconds',
              ),
            ])
            .execute(),
        )
      : undefined,
    db
      ? orUndefined(
          db
            .selectFrom('etl.quarantine')
            .select(['table_name', sql<number>`count(*)::integer`.as('n')])
            .groupBy('table_name')
            .execute(),
        )
      : undefined,
    db
      ? orUndefined(
          db
            .selectFrom('etl.load_ledger')
            .where(sql<boolean>`loaded_at > ${now.toISOString()}::timestamptz - interval '1 hour'`)
            .select(['table_name', sql<number>`sum(rows_inserted + rows_updated)::integer`.as('n')])
            .groupBy('table_name')
            .execute(),
        )
      : undefined,
    status ? orUndefined(status()) : undefined,
  ]);
  const countOf = new Map(counts ?? []);
  const freshOf = new Map((fresh ?? []).map((row) => [row.table_name, Math.max(0, row.seconds)]));
  const heldOf = new Map((held ?? []).map((row) => [row.table_name, row.n]));
  const loadedOf = new Map((loaded ?? []).map((row) => [row.table_name, row.n]));
  return {
    at: now.toISOString(),
    warehouseReachable: counts !== undefined,
    tables: warehouseTableNames.map((table) => {
      const line = external?.find((entry) => entry.table === table);
      return {
        table,
        source: (warehouseTables[table].inputs as readonly SourceTableName[])[0] ?? null,
        sourceRows: line?.sourceRows ?? null,
        warehouseRows: countOf.get(table) ?? null,
        freshnessSeconds: freshOf.get(table) ?? null,
        queued: line?.queued ?? null,
        deadLetters: line?.deadLetters ?? null,
        quarantined: held ? (heldOf.get(table) ?? 0) : null,
        rowsLoadedLastHour: loaded ? (loadedOf.get(table) ?? 0) : null,
      };
    }),
  };
}
