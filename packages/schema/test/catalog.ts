import type pg from 'pg';
import type { ColumnSpec } from '../src/index';

/** Reads PostgreSQL's own description of the objects under test, in forms that diff readably. */

/** The columns of `schema.table` in ordinal order, typed as `format_type()` prints them. */
export async function readColumns(
  client: pg.ClientBase,
  schema: string,
  table: string,
): Promise<ColumnSpec[]> {
  const { rows } = await client.query<ColumnSpec>(
    `SELECT a.attname AS "name",
            format_type(a.atttypid, a.atttypmod) AS "pgType",
            NOT a.attnotnull AS "nullable",
            a.atthasdef AS "hasDefault"
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [schema, table],
  );
  return rows;
}

/** The ordinary tables of a schema, sorted by name. */
export async function readTables(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind = 'r'
      ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.name);
}

const constraintColumns = (keys: string, relation: string): string =>
  `(SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
      FROM unnest(${keys}) WITH ORDINALITY AS k(attnum, ord)
      JOIN pg_attribute a ON a.attrelid = ${relation} AND a.attnum = k.attnum)`;

/** Each table's primary key, as `table(column, …)`, sorted. */
export async function readPrimaryKeys(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ key: string }>(
    `SELECT c.relname || '(' || ${constraintColumns('con.conkey', 'con.conrelid')} || ')' AS key
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND con.contype = 'p'
      ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.key);
}

/** Every foreign key, as `table.column → table.column ON UPDATE … ON DELETE …`, sorted. */
export async function readForeignKeys(client: pg.ClientBase, schema: string): Promise<string[]> {
  const action = (code: string): string =>
    `CASE ${code} WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                  WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END`;
  const { rows } = await client.query<{ key: string }>(
    `SELECT c.relname || '.' || ${constraintColumns('con.conkey', 'con.conrelid')}
            || ' → ' || r.relname || '.' || ${constraintColumns('con.confkey', 'con.confrelid')}
            || ' ON UPDATE ' || ${action('con.confupdtype')} || ' ON DELETE ' || ${action('con.confdeltype')} AS key
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_class r ON r.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND con.contype = 'f'
      ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.key);
}

/** Every index other than a primary key, as `[UNIQUE ]table(column, …)`, sorted. */
export async function readSecondaryIndexes(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ index: string }>(
    `SELECT CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END
            || c.relname || '(' || ${constraintColumns('i.indkey::int2[]', 'i.indrelid')} || ')' AS index
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND NOT i.indisprimary
      ORDER BY 1`,
    [schema],
  );
  return rows.map((row) => row.index);
}

/** The labels of every enum type in a schema, in declared order, keyed by type name. */
export async function readEnums(client: pg.ClientBase, schema: string): Promise<Record<string, string[]>> {
  const { rows } = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t
       JOIN pg_enum e ON e.enumtypid = t.oid
       JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = $1
      GROUP BY t.typname`,
    [schema],
  );
  return Object.fromEntries(rows.map((row) => [row.name, row.labels]));
}
