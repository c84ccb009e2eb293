import type { Generated } from 'kysely';
import type { z } from 'zod';
import type { Defaulted } from './column';

/**
 * The kysely table type of a table schema.
 *
 * Each column's value type, wrapped in `Generated<>` where the database supplies a default. Values
 * keep the pipeline's representation (decimal and time values as strings), so a `pg` pool used with
 * these types must return them as text.
 */
export type KyselyTable<T extends z.ZodObject> = {
  -readonly [K in keyof T['shape']]: T['shape'][K] extends Defaulted<z.ZodType>
    ? Generated<z.output<T['shape'][K]>>
    : z.output<T['shape'][K]>;
};
