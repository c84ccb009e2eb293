import { sourceTableNames, warehouseTableNames } from '@totes/pipeline';
import { redactUrl } from '@totes/runtime';
import { connectPostgres } from '@totes/runtime/database';
import type pg from 'pg';
import { checkDatabase } from '../stack/check-databases';
import { type DoctorCheck, fail, ok, skip, warn } from './doctor-check';

/** The databases to check, where they are known (from a running stack, the flags or the environment). */
export interface DatabaseTargets {
  readonly totesysUrl?: string;
  readonly warehouseUrl?: string;
  /** Why a database is not checked when its URL is not known. */
  readonly unknownBecause: string;
}

async function connected<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await connectPostgres(url, {
    statementTimeoutMs: 10_000,
    connectTimeoutMs: 10_000,
    applicationName: 'totes-doctor',
  });
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Which of `tables` (in `public`) are absent, and on which of those present a privilege is missing. */
async function tableGrants(
  client: pg.Client,
  tables: readonly string[],
  privileges: readonly string[],
): Promise<{ readonly absent: string[]; readonly denied: string[] }> {
  const { rows } = await client.query<{ name: string; present: boolean; granted: boolean | null }>(
    `SELECT t.name, c.oid IS NOT NULL AS present,
            CASE WHEN c.oid IS NULL THEN NULL
                 ELSE (SELECT bool_and(has_table_privilege(c.oid, p)) FROM unnest($2::text[]) AS p) END AS granted
       FROM unnest($1::text[]) AS t(name)
       LEFT JOIN pg_class c ON c.relname = t.name
        AND c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v')`,
    [tables, privileges],
  );
  return {
    absent: rows.filter((row) => !row.present).map((row) => row.name),
    denied: rows.filter((row) => row.present && row.granted === false).map((row) => row.name),
  };
}

const list = (names: readonly string[]) =>
  names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');

async function totesysChecks(url: string): Promise<DoctorCheck[]> {
  try {
    await checkDatabase('totesys', url, false, false);
  } catch (error) {
    return [fail('totesys', (error as Error).message, 'check the URL, the server and the password')];
  }
  return await connected(url, async (client) => {
    const checks: DoctorCheck[] = [ok('totesys', `${redactUrl(url)} answers`)];
    const { absent, denied } = await tableGrants(client, sourceTableNames, ['SELECT']);
    if (absent.length === sourceTableNames.length) {
      checks.push(
        warn(
          'totesys tables',
          'none of the totesys tables exist',
          'fill it with `totes seed`, or check the database name',
        ),
      );
    } else if (absent.length > 0 || denied.length > 0) {
      checks.push(
        fail(
          'totesys tables',
          [
            absent.length ? `missing: ${list(absent)}` : '',
            denied.length ? `not readable: ${list(denied)}` : '',
          ]
            .filter(Boolean)
            .join('; '),
          'GRANT SELECT ON ALL TABLES IN SCHEMA public TO the extraction role',
        ),
      );
    } else {
      checks.push(ok('totesys tables', `all ${sourceTableNames.length} readable`));
    }
    const { rows } = await client.query<{ role: string; stats: boolean }>(
      `SELECT current_user AS role, pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS stats`,
    );
    const role = rows[0]?.role ?? 'the extraction role';
    checks.push(
      rows[0]?.stats
        ? ok('totesys pg_read_all_stats', `${role} sees every open transaction`)
        : warn(
            'totesys pg_read_all_stats',
            `${role} cannot see other sessions' transactions: extraction stays five minutes behind`,
            `GRANT pg_read_all_stats TO ${role} (as a superuser)`,
          ),
    );
    return checks;
  });
}

async function warehouseChecks(url: string): Promise<DoctorCheck[]> {
  try {
    await checkDatabase('warehouse', url, false, false);
  } catch (error) {
    return [fail('warehouse', (error as Error).message, 'check the URL, the server and the password')];
  }
  return await connected(url, async (client) => {
    const checks: DoctorCheck[] = [ok('warehouse', `${redactUrl(url)} answers`)];
    const { absent, denied } = await tableGrants(client, warehouseTableNames, ['SELECT', 'INSERT', 'UPDATE']);
    const { rows } = await client.query<{ role: string; database: string; create: boolean }>(
      `SELECT current_user AS role, current_database() AS database,
              has_database_privilege(current_database(), 'CREATE') AS create`,
    );
    const { role = 'the loading role', database = 'warehouse', create = false } = rows[0] ?? {};
    if (absent.length > 0) {
      checks.push(
        create
          ? warn(
              'warehouse schema',
              `not created yet (missing ${list(absent)})`,
              '`totes up` or `totes sync` creates the star schema',
            )
          : fail(
              'warehouse schema',
              `missing ${list(absent)}, and ${role} may not create schemas`,
              `GRANT CREATE ON DATABASE ${database} TO ${role}, or create the star schema as its owner`,
            ),
      );
    } else if (denied.length > 0) {
      checks.push(
        fail(
          'warehouse grants',
          `${role} may not read, insert and update ${list(denied)}`,
          `GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO ${role}`,
        ),
      );
    } else {
      checks.push(ok('warehouse grants', `${role} may load all ${warehouseTableNames.length} tables`));
    }
    return checks;
  });
}

/** Reachability and grants of totesys and the warehouse, where their URLs are known. */
export async function databaseChecks(targets: DatabaseTargets): Promise<DoctorCheck[]> {
  return [
    ...(targets.totesysUrl
      ? await totesysChecks(targets.totesysUrl)
      : [skip('totesys', targets.unknownBecause)]),
    ...(targets.warehouseUrl
      ? await warehouseChecks(targets.warehouseUrl)
      : [skip('warehouse', targets.unknownBecause)]),
  ];
}
