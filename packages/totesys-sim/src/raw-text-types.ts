import pg from 'pg';

const timestampOids = new Set([
  pg.types.builtins.TIMESTAMP,
  pg.types.builtins.TIMESTAMPTZ,
  pg.types.builtins.DATE,
]);

/**
 * Type parsers for a query that leaves timestamps and dates as PostgreSQL prints them.
 *
 * `pg` would read a zoneless timestamp as local time, which is not what totesys means.
 */
export const rawTextTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    timestampOids.has(oid)
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser'],
};
