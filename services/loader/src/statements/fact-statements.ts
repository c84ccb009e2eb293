import { qualifiedName, sqlIdentifier } from './sql-identifier';
import { stagingTable } from './staging-statements';
import type { TableLayout } from './table-layout';

/** The statements that append a fact object, staged or straight. */
export interface FactStatements {
  /**
   * Inserts each staged row unless the same version (every column equal) is already a fact row;
   * `rowCount` is the number of fact rows added. Record ids come from the table's SERIAL.
   */
  readonly append: string;
  /** The same, also collapsing rows that appear twice in the object (slower: a DISTINCT pass). */
  readonly appendDistinct: string;
  /**
   * One row `(overlaps)`: whether any fact row has a natural key from `$1` to `$2` (a probe of the
   * natural-id index). When none has, no version of those keys can be a fact row yet.
   */
  readonly overlaps: string;
  /**
   * A binary COPY of an object's rows straight into the fact table, record ids from its SERIAL:
   * for an object whose versions cannot be there yet, with no staging table and no anti-join.
   */
  readonly copy: string;
}

/** The append statements of a fact table. */
export function factStatements(layout: TableLayout): FactStatements {
  const table = qualifiedName('public', layout.table);
  const columns = layout.columns.map((column) => sqlIdentifier(column.name));
  // Fact columns are NOT NULL, so plain equality (which can be hashed) identifies a version;
  // a nullable column would need IS NOT DISTINCT FROM.
  const sameVersion = layout.columns
    .map((column) => {
      const name = sqlIdentifier(column.name);
      return column.nullable ? `f.${name} IS NOT DISTINCT FROM s.${name}` : `f.${name} = s.${name}`;
    })
    .join(' AND ');
  const append = (distinct: string) =>
    `INSERT INTO ${table} (${columns.join(', ')}) ` +
    `SELECT ${distinct}${columns.map((name) => `s.${name}`).join(', ')} FROM ${stagingTable} s ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${table} f WHERE ${sameVersion})`;
  const naturalKey = sqlIdentifier(layout.naturalKey);
  return {
    append: append(''),
    appendDistinct: append('DISTINCT '),
    overlaps: `SELECT EXISTS (SELECT 1 FROM ${table} f WHERE f.${naturalKey} BETWEEN $1 AND $2) AS overlaps`,
    copy: `COPY ${table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT binary)`,
  };
}
