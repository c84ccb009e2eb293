import { sourceTableNames, warehouseTableNames } from '@totes/pipeline';
import { UsageError } from './cli-error';
import { nearestName } from './nearest-name';

/** Which tables an option or argument takes. */
export type TableKind = 'source or warehouse' | 'source' | 'warehouse';

const tablesOf = {
  'source or warehouse': [...new Set([...sourceTableNames, ...warehouseTableNames])],
  source: [...sourceTableNames],
  warehouse: [...warehouseTableNames],
} as const satisfies Record<TableKind, readonly string[]>;

/**
 * Checks a table name given on the command line (as `what`: `--table`, `<table>`).
 *
 * An unknown one is a usage error that suggests the nearest name and lists every valid one, in the
 * JSON error too (`tables`).
 */
export function checkTableName<T extends string = string>(value: string, kind: TableKind, what: string): T {
  const tables: readonly string[] = tablesOf[kind];
  if (tables.includes(value)) return value as T;
  const nearest = nearestName(value, tables);
  throw new UsageError(
    `${what}: "${value}" is not a ${kind} table${nearest ? ` (did you mean ${nearest}?)` : ''}; the tables are ${tables.join(', ')}`,
    { tables, ...(nearest ? { suggestion: nearest } : {}) },
  );
}

/** A commander parser for a table option or argument (see {@link checkTableName}). */
export const tableParser =
  (kind: TableKind, what: string) =>
  (value: string): string =>
    checkTableName(value, kind, what);
