import type { ColumnSpec } from '../src/index';

function describeColumn(column: ColumnSpec): string {
  return `${column.pgType} ${column.nullable ? 'NULL' : 'NOT NULL'}${column.hasDefault ? ' DEFAULT' : ''}`;
}

/**
 * Every difference between the columns a table schema declares and those the database has, one
 * readable line each (`staff.email_address: …`); empty when they agree.
 */
export function columnDrift(
  table: string,
  declared: readonly ColumnSpec[],
  actual: readonly ColumnSpec[],
): string[] {
  if (actual.length === 0) return [`${table}: the table does not exist in the database`];
  const drift: string[] = [];
  declared.forEach((expected, position) => {
    const where = `${table}.${expected.name}`;
    const found = actual.findIndex((column) => column.name === expected.name);
    const column = actual[found];
    if (!column) {
      drift.push(`${where}: declared in the schema, missing from the database`);
      return;
    }
    if (found !== position) {
      drift.push(`${where}: column ${position + 1} in the schema, column ${found + 1} in the database`);
    }
    if (describeColumn(column) !== describeColumn(expected)) {
      drift.push(
        `${where}: the schema declares ${describeColumn(expected)}, the database has ${describeColumn(column)}`,
      );
    }
  });
  for (const column of actual) {
    if (!declared.some((expected) => expected.name === column.name)) {
      drift.push(`${table}.${column.name}: in the database, not declared in the schema`);
    }
  }
  return drift;
}
