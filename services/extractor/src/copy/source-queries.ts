import { type RowFormat, watermarkColumn } from './row-format';

/**
 * Values a COPY statement reads.
 *
 * COPY takes no bind parameters, so they are set with `set_config(name, value, true)` (bound,
 * transaction-local) and read back in the statement with `current_setting`, never written into the
 * SQL text.
 */
export type CopySettings = Readonly<Partial<Record<CopySettingName, string>>>;

/** The names of the {@link CopySettings}. */
export type CopySettingName =
  | 'after_ts'
  | 'after_id'
  | 'through_id'
  | 'before_ts'
  | 'row_limit'
  | 'bucket_rows'
  | 'buckets';

/** The SQL the extractor runs on one source table. Identifiers come from the topology and schema only. */
export interface SourceQueries {
  /** COPY: rows after the watermark (`after_ts`, `after_id`) and before `before_ts`, in watermark order, at most `row_limit`. */
  readonly changes: string;
  /** COPY: rows with a key above `after_id` and `last_updated` before `before_ts`, by key, at most `row_limit`. */
  readonly initial: string;
  /** COPY: rows with a key above `after_id`, by key, at most `row_limit`. */
  readonly afterId: string;
  /**
   * COPY: rows with a key above `after_id` up to `through_id` that fall in the sweep buckets
   * listed in `buckets` (`{1,5}`) of `bucket_rows` ids each, by key.
   */
  readonly buckets: string;
  /** COPY: every row, by key. */
  readonly all: string;
  /** Query: `hash` and `rows` of the whole table. */
  readonly contentHash: string;
  /**
   * Query ($1 bucket rows, $2 first bucket, $3 last bucket, $4 the buckets to hash, or null for
   * all): `bucket` and `hash` of each bucket that has rows.
   */
  readonly bucketHashes: string;
  /**
   * Query ($1 bucket rows, $2 first bucket, $3 last bucket): `bucket` and `version` of each
   * bucket that has rows, a hash of which row versions it holds (each row's key and `xmin`, the
   * transaction that wrote it), not of their content.
   */
  readonly bucketVersions: string;
  /**
   * Query ($1 bucket rows, $2 a transaction id as `xid8`): `bucket` of each bucket that holds a
   * row version written by that transaction or a later one.
   */
  readonly bucketsWrittenSince: string;
  /** Query: the highest key, `id`, or null for an empty table. */
  readonly maxId: string;
}

/** A name as a quoted SQL identifier (quotes inside doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

const setting = (name: CopySettingName, type: string) => `(SELECT current_setting('totes.${name}')::${type})`;

/** The setting names as `set_config` needs them. */
export const copySettingName = (name: CopySettingName) => `totes.${name}`;

// COPY's text format, kept byte-exact by the renderer: see json-lines-chunker.ts.
const copy = (query: string) => `COPY (${query}) TO STDOUT`;

/**
 * Builds the statements for a table.
 *
 * The content hashes are md5 over each row's record text in key order: any change to any extracted
 * column changes them, whether `last_updated` moved or not.
 */
export function sourceQueries(format: RowFormat): SourceQueries {
  const table = quoteIdentifier(format.table);
  const names = format.columns.map((column) => quoteIdentifier(column.name));
  const columns = names.join(', ');
  const key = names[format.keyIndex] ?? '';
  const lastUpdated = quoteIdentifier(watermarkColumn);
  const select = `SELECT ${columns} FROM ${table}`;
  const rowText = `ROW(${columns})::text`;
  const bucketOf = `((${key} - 1) / ${setting('bucket_rows', 'integer')})`;
  return {
    changes: copy(
      `${select} WHERE (${lastUpdated}, ${key}) > (${setting('after_ts', 'timestamp')}, ${setting('after_id', 'integer')})` +
        ` AND ${lastUpdated} < ${setting('before_ts', 'timestamp')}` +
        ` ORDER BY ${lastUpdated}, ${key} LIMIT ${setting('row_limit', 'bigint')}`,
    ),
    initial: copy(
      `${select} WHERE ${key} > ${setting('after_id', 'integer')} AND ${lastUpdated} < ${setting('before_ts', 'timestamp')}` +
        ` ORDER BY ${key} LIMIT ${setting('row_limit', 'bigint')}`,
    ),
    afterId: copy(
      `${select} WHERE ${key} > ${setting('after_id', 'integer')} ORDER BY ${key} LIMIT ${setting('row_limit', 'bigint')}`,
    ),
    buckets: copy(
      `${select} WHERE ${key} > ${setting('after_id', 'integer')} AND ${key} <= ${setting('through_id', 'integer')}` +
        // Not a scalar subquery as elsewhere: `= ANY ((SELECT …))` would compare with each row of it.
        ` AND ${bucketOf} = ANY (current_setting('${copySettingName('buckets')}')::integer[]) ORDER BY ${key}`,
    ),
    all: copy(`${select} ORDER BY ${key}`),
    contentHash: `SELECT md5(coalesce(string_agg(${rowText}, E'\\n' ORDER BY ${key}), '')) AS hash, count(*)::integer AS rows FROM ${table}`,
    bucketHashes:
      `SELECT ((${key} - 1) / $1::integer)::integer AS bucket, md5(string_agg(${rowText}, E'\\n' ORDER BY ${key})) AS hash` +
      ` FROM ${table} WHERE ${key} > $2::integer * $1::integer AND ${key} <= ($3::integer + 1) * $1::integer` +
      ` AND ($4::integer[] IS NULL OR ((${key} - 1) / $1::integer) = ANY ($4::integer[]))` +
      ' GROUP BY 1 ORDER BY 1',
    // Every UPDATE writes a new row version stamped with its transaction's id, which freezing
    // keeps: a bucket whose versions are those of the last sweep holds the same content. Reading
    // xmin skips rendering every column as text: 3-5 times faster on payment (157k rows).
    bucketVersions:
      `SELECT ((${key} - 1) / $1::integer)::integer AS bucket, md5(string_agg(${key}::text || ':' || xmin::text, ',' ORDER BY ${key})) AS version` +
      ` FROM ${table} WHERE ${key} > $2::integer * $1::integer AND ${key} <= ($3::integer + 1) * $1::integer` +
      ' GROUP BY 1 ORDER BY 1',
    // `age` counts transactions back from now in xid's 32-bit space, so it compares a row's
    // `xmin` with the given transaction across wraparound. A frozen version of a row written
    // 2^31 transactions ago may alias a recent one: it is only hashed for nothing. Reading `xmin`
    // alone, 4 times faster than bucketVersions (171 against 680 ms on 1.57M rows).
    bucketsWrittenSince:
      `SELECT DISTINCT ((${key} - 1) / $1::integer)::integer AS bucket FROM ${table}` +
      ` WHERE age(xmin) <= age((($2::text::bigint) % 4294967296)::text::xid) ORDER BY 1`,
    maxId: `SELECT max(${key}) AS id FROM ${table}`,
  };
}

/**
 * The probe behind the commit horizon.
 *
 * Its parameters: $1 the time zone of totesys's naive timestamps, $2 the commit margin in ms, $3
 * the lag for hidden sessions in ms. Times come back as naive timestamps in that zone, truncated to
 * the millisecond like `last_updated`.
 */
export const commitHorizonProbe = `
SELECT
  to_char((clock_timestamp() - $2::double precision * interval '1 millisecond') AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS.MS') AS "nowLessMargin",
  to_char((clock_timestamp() - $3::double precision * interval '1 millisecond') AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS.MS') AS "nowLessLag",
  to_char((min(xact_start) FILTER (WHERE backend_xid IS NOT NULL) - $2::double precision * interval '1 millisecond') AT TIME ZONE $1, 'YYYY-MM-DD HH24:MI:SS.MS') AS "oldestWriterLessMargin",
  coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false)
    OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS "seesAllSessions"
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()`;
