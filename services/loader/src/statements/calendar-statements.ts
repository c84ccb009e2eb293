import type { WarehouseRow } from '@totes/schema';
import { type ReferenceSources, referenceSources } from './reference-statements';
import { qualifiedName, sqlIdentifier } from './sql-identifier';
import type { TableLayout } from './table-layout';

/** The generated dimension: one row per calendar day. */
export const calendarTable = 'dim_date';

/**
 * dim_date's columns as SQL expressions of the day `d`, by the specification's rules: ISO day of
 * week (Monday = 1), English day and month names (`to_char` without the TM prefix is always
 * English), quarter 1–4. The keys are checked against the row type, so a new column fails to
 * compile here instead of being left out.
 */
const calendarExpressions: { readonly [C in keyof WarehouseRow<'dim_date'>]-?: string } = {
  date_id: 'd',
  year: 'extract(year FROM d)::integer',
  month: 'extract(month FROM d)::integer',
  day: 'extract(day FROM d)::integer',
  day_of_week: 'extract(isodow FROM d)::integer',
  day_name: "to_char(d, 'FMDay')",
  month_name: "to_char(d, 'FMMonth')",
  quarter: 'extract(quarter FROM d)::integer',
};

/**
 * The statements that add to dim_date every day a fact object references and dim_date lacks.
 *
 * Computed by the same rules as the calendar objects, so a fact never waits for a day. Days are
 * inserted in order, so two loads adding the same days cannot deadlock. Undefined when the fact
 * references no day.
 */
export function extendCalendarStatements(layout: TableLayout): ReferenceSources | undefined {
  const reference = layout.references.find((candidate) => candidate.dimension === calendarTable);
  if (!reference) return undefined;
  const table = qualifiedName('public', calendarTable);
  const key = sqlIdentifier(reference.dimensionKey);
  const columns = Object.keys(calendarExpressions).map(sqlIdentifier);
  const values = Object.values(calendarExpressions);
  const insert = (source: string) =>
    `INSERT INTO ${table} (${columns.join(', ')}) ` +
    `SELECT ${values.join(', ')} FROM (SELECT w.v AS d FROM (${source}) w) days ` +
    `WHERE NOT EXISTS (SELECT 1 FROM ${table} c WHERE c.${key} = days.d) ORDER BY d ` +
    `ON CONFLICT (${key}) DO NOTHING`;
  const sources = referenceSources(layout, reference);
  return {
    keys: insert(sources.keys),
    staging: insert(sources.staging),
    appended: insert(sources.appended),
  };
}
