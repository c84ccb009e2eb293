import { sqlIdentifier } from './sql-identifier';
import type { TableLayout } from './table-layout';

/** The temporary table an object is copied into before it is merged; dropped at commit. */
export const stagingTable = 'pg_temp.load_staging';

const declaredType = /^[a-z][a-z0-9 (),]*$/;

/** The statements that stage an object's rows: create the table, then COPY into it. */
export interface StagingStatements {
  readonly create: string;
  /** A binary COPY, which PostgreSQL parses faster than text and which needs no escaping. */
  readonly copy: string;
}

/**
 * Staging statements for a table's processed objects.
 *
 * The staging table has the warehouse columns with their exact types and NOT NULL constraints (a
 * malformed value fails the COPY with its line number), without the facts' record id.
 */
export function stagingStatements(layout: TableLayout): StagingStatements {
  const definitions = layout.columns.map((column) => {
    if (!declaredType.test(column.pgType)) throw new RangeError(`unexpected column type ${column.pgType}`);
    return `${sqlIdentifier(column.name)} ${column.pgType}${column.nullable ? '' : ' NOT NULL'}`;
  });
  const names = layout.columns.map((column) => sqlIdentifier(column.name)).join(', ');
  return {
    create: `CREATE TEMPORARY TABLE load_staging (${definitions.join(', ')}) ON COMMIT DROP`,
    copy: `COPY ${stagingTable} (${names}) FROM STDIN WITH (FORMAT binary)`,
  };
}
