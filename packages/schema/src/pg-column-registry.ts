import { z } from 'zod';

/** What PostgreSQL knows about a column beyond the shape of its values. */
export interface PgColumnMeta {
  /** The column's type exactly as PostgreSQL's `format_type()` prints it, e.g. `numeric(10,2)`. */
  readonly pgType: string;
  /** Whether the database fills the column in when an insert leaves it out (serial, `DEFAULT`). */
  readonly hasDefault: boolean;
}

/**
 * Where every column built with {@link column} keeps its {@link PgColumnMeta}.
 *
 * Refinements of a registered schema (`.min()`, `.refine()`) inherit its entry; wrappers such as
 * `.nullable()` do not, which is why {@link columnSpecs} unwraps them.
 */
export const pgColumnRegistry = z.registry<PgColumnMeta>();
