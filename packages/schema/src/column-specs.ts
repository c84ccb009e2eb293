import { z } from 'zod';
import { pgColumnRegistry } from './pg-column-registry';
import { SchemaDeclarationError } from './schema-declaration-error';

/** One column of a table schema, as PostgreSQL sees it. */
export interface ColumnSpec {
  readonly name: string;
  /** The type exactly as PostgreSQL's `format_type()` prints it, e.g. `timestamp(3) without time zone`. */
  readonly pgType: string;
  readonly nullable: boolean;
  /** Whether the database fills the column in when an insert leaves it out. */
  readonly hasDefault: boolean;
}

/**
 * The columns of a table schema in declared order, with their PostgreSQL type, nullability and default.
 *
 * Throws {@link SchemaDeclarationError} for a column not made with a {@link column} builder.
 */
export function columnSpecs(table: z.ZodObject): readonly ColumnSpec[] {
  return Object.entries(table.shape).map(([name, schema]) => {
    const nullable = schema instanceof z.ZodNullable;
    const meta = pgColumnRegistry.get(nullable ? schema.unwrap() : schema);
    if (!meta) {
      throw new SchemaDeclarationError(
        `Column "${name}" has no PostgreSQL type: declare it with a \`column\` builder (column.text(), column.money(), …).`,
      );
    }
    return { name, pgType: meta.pgType, nullable, hasDefault: meta.hasDefault };
  });
}
