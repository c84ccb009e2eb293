import type { z } from 'zod';

/** The column names of a table schema, in declared (and database) order. */
export function columnsOf<T extends z.ZodObject>(table: T): readonly (keyof T['shape'] & string)[] {
  return Object.keys(table.shape) as (keyof T['shape'] & string)[];
}
