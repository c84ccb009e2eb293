import { qualifiedName, sqlIdentifier } from './sql-identifier';
import { stagingTable } from './staging-statements';
import type { TableLayout } from './table-layout';

/** The statements that append a staged fact object. */
export interface FactStatements {
  /**
   * Inserts each staged row unless the same version (every column equal) is already a fact row;
   * `rowCount` is the number of fact rows added. Record ids come from the table's SERIAL.
   */
  readonly append: string;
  /** The same, also collapsing rows that appear twice in the object (slower: a DISTINCT pass). */
  readonly appendDistinct: string;
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
  return { append: append(''), appendDistinct: append('DISTINCT ') };
}
