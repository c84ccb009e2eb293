import { redactUrl } from '@totes/runtime';
import { connectPostgres } from '@totes/runtime/database';
import { describeError } from '../failure-message';
import { DatabaseCheckError, type DatabaseRole } from './database-check-error';

/** The databases a pipeline is about to use, and what it needs of them. */
export interface DatabasesToCheck {
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
  /** Whether totesys is the local stack's own (then its fix is `totes seed`, not the URL). */
  readonly embeddedTotesys: boolean;
  /** Whether totesys must already hold its tables (`totes up` seeds an empty embedded one). */
  readonly totesysTables: boolean;
}

const settings = {
  totesys: { variable: 'TOTESYS_URL', flag: '--totesys-url' },
  warehouse: { variable: 'WAREHOUSE_URL', flag: '--warehouse-url' },
} as const satisfies Record<DatabaseRole, { variable: string; flag: string }>;

/** Text with the URL's password taken out, however the driver chose to repeat it. */
function withoutPassword(text: string, url: string): string {
  let password = '';
  try {
    password = new URL(url).password;
  } catch {
    return text;
  }
  if (!password) return text;
  return [password, decodeURIComponent(password)].reduce(
    (out, secret) => out.split(secret).join('***'),
    text,
  );
}

/**
 * Connects to one database and runs a trivial query, failing with a message that names it.
 *
 * With `tables`, it checks that totesys holds its tables; `embedded` says whether it is the local
 * stack's own. The message says what to check, never the password.
 */
export async function checkDatabase(
  database: DatabaseRole,
  url: string,
  tables: boolean,
  embedded: boolean,
): Promise<void> {
  const { variable, flag } = settings[database];
  let client: Awaited<ReturnType<typeof connectPostgres>>;
  try {
    client = await connectPostgres(url, {
      statementTimeoutMs: 10_000,
      connectTimeoutMs: 10_000,
      applicationName: 'totes-check',
    });
  } catch (error) {
    const reason = withoutPassword(describeError(error), url);
    throw new DatabaseCheckError(
      database,
      `cannot connect to the ${database} database at ${redactUrl(url)}: ${reason}; check ${variable} (or ${flag}): host, port, database name, user and password`,
    );
  }
  try {
    await client.query('SELECT 1');
    if (!tables) return;
    const { rows } = await client.query("SELECT to_regclass('public.sales_order') IS NOT NULL AS found");
    if (rows[0]?.found !== true) {
      throw new DatabaseCheckError(
        database,
        embedded
          ? 'the embedded totesys is empty: fill it first with `totes seed` (or point TOTESYS_URL at a totesys)'
          : `the totesys database at ${redactUrl(url)} has no totesys tables: check ${variable} (or ${flag}): database name, schema`,
      );
    }
  } catch (error) {
    if (error instanceof DatabaseCheckError) throw error;
    const reason = withoutPassword(describeError(error), url);
    throw new DatabaseCheckError(
      database,
      `the ${database} database at ${redactUrl(url)} cannot be queried: ${reason}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Connects to both databases and runs a trivial query on each, before the pipeline starts.
 *
 * Where asked, it checks that totesys holds its tables. A wrong URL or password fails at once,
 * naming the database, instead of burning the retries of queued work. Passwords never appear in the
 * message.
 */
export async function checkDatabases(databases: DatabasesToCheck): Promise<void> {
  await checkDatabase('totesys', databases.totesysUrl, databases.totesysTables, databases.embeddedTotesys);
  await checkDatabase('warehouse', databases.warehouseUrl, false, false);
}
