import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Absolute paths of the DDL, kept as plain SQL a DBA can read and apply.
 *
 * `totesys` recreates the Prisma-made source database (apply once, to an empty database);
 * `warehouse` creates the star schemas if absent (safe to apply on every start); `analytics`
 * (re)creates the analyst views over the star schemas (apply after `warehouse`, on every start).
 */
export const ddlFile = Object.freeze({
  totesys: fileURLToPath(new URL('../sql/totesys.sql', import.meta.url)),
  warehouse: fileURLToPath(new URL('../sql/warehouse.sql', import.meta.url)),
  analytics: fileURLToPath(new URL('../sql/analytics.sql', import.meta.url)),
});

/** Which database a DDL file creates. */
export type DdlName = keyof typeof ddlFile;

/** Reads one of the {@link ddlFile}s as text, ready to send to PostgreSQL in one query. */
export function readDdl(name: DdlName): Promise<string> {
  return readFile(ddlFile[name], 'utf8');
}
