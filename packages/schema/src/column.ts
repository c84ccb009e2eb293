import { z } from 'zod';
import { pgColumnRegistry } from './pg-column-registry';
import { SchemaDeclarationError } from './schema-declaration-error';

declare const databaseDefault: unique symbol;

/**
 * A column schema whose column the database fills in when an insert leaves it out.
 *
 * The mark exists only in the type system, where the kysely tables read it as `Generated<>`; at run
 * time the same fact is `hasDefault` in {@link pgColumnRegistry}.
 */
export type Defaulted<S extends z.ZodType> = S & { readonly [databaseDefault]: true };

const dateSource = unanchored(z.core.regexes.date);
const timeSource = (precision: number | null): string => unanchored(z.core.regexes.time({ precision }));
const zoneSource = '(?:Z|[+-]\\d{2}(?::?\\d{2})?)';

function unanchored(pattern: RegExp): string {
  return pattern.source.replace(/^\^/, '').replace(/\$$/, '');
}

function pgColumn<S extends z.ZodType>(schema: S, pgType: string): S {
  pgColumnRegistry.add(schema, { pgType, hasDefault: false });
  return schema;
}

function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function withDefault<S extends z.ZodType>(schema: S): Defaulted<S> {
  const meta = pgColumnRegistry.get(schema);
  if (!meta)
    throw new SchemaDeclarationError('column.withDefault() expects a column made by a `column` builder.');
  const defaulted = schema.clone();
  pgColumnRegistry.add(defaulted, { ...meta, hasDefault: true });
  return defaulted as Defaulted<S>;
}

/**
 * Builders for table columns.
 *
 * Each returns the zod schema of the column's value in the pipeline's JSON representation and
 * records the column's exact PostgreSQL type, so that one declaration describes both the rows and
 * the DDL they must match. Make a column nullable with `.nullable()`.
 */
export const column = Object.freeze({
  /** `integer`: a 32-bit whole number. */
  integer: () => pgColumn(z.int32(), 'integer'),

  /** `serial`: an `integer` key the database numbers from its sequence. */
  serial: () => withDefault(pgColumn(z.int32(), 'integer')),

  /** `text`. */
  text: () => pgColumn(z.string(), 'text'),

  /** `varchar(length)`, or unbounded `varchar` without a length. */
  varchar: (length?: number) =>
    length === undefined
      ? pgColumn(z.string(), 'character varying')
      : pgColumn(z.string().max(length), `character varying(${length})`),

  /** `boolean`. */
  boolean: () => pgColumn(z.boolean(), 'boolean'),

  /** `numeric(10,2)` money, as an exact decimal string with two places: `"12.50"`, never a float. */
  money: () => pgColumn(z.string().regex(/^-?(?:0|[1-9]\d{0,7})\.\d{2}$/), 'numeric(10,2)'),

  /** Unconstrained `numeric`, as an exact decimal string: `"12.5"`, `"12.50"` or `"12"`. */
  numeric: () => pgColumn(z.string().regex(/^-?(?:0|[1-9]\d*)(?:\.\d+)?$/), 'numeric'),

  /**
   * `timestamp(3) without time zone`, as `"2022-11-03 14:20:52.186"`: no zone, always three
   * fraction digits (PostgreSQL's own output drops trailing zeros, the pipeline keeps them).
   */
  timestamp3: () =>
    pgColumn(
      z.string().regex(new RegExp(`^${dateSource} ${timeSource(3)}$`)),
      'timestamp(3) without time zone',
    ),

  /** `timestamp with time zone`, as PostgreSQL or ISO 8601 prints it, offset included. */
  timestamptz: () =>
    pgColumn(
      z.string().regex(new RegExp(`^${dateSource}[ T]${timeSource(null)}${zoneSource}$`)),
      'timestamp with time zone',
    ),

  /** A `text` column that holds a calendar date, `"2022-11-03"` (totesys stores agreed dates so). */
  textDate: () => pgColumn(z.iso.date(), 'text'),

  /** `date`, as `"2022-11-03"`. */
  date: () => pgColumn(z.iso.date(), 'date'),

  /** `time without time zone`, as `"14:20:52.186"`: always three fraction digits. */
  time: () => pgColumn(z.iso.time({ precision: 3 }), 'time without time zone'),

  /** A PostgreSQL enum type, by its type name, with its labels in declared order. */
  enum: <const L extends readonly string[]>(typeName: string, labels: L) =>
    pgColumn(z.enum(labels), quoteIdentifier(typeName)),

  /** Marks a column as filled in by the database when an insert leaves it out (`DEFAULT …`). */
  withDefault,
});
