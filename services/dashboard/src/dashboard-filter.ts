import { z } from 'zod';

/** A month as `YYYY-MM`, the form of an HTML `<input type="month">`. */
const Month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM');

const FilterQuery = z.object({
  from: Month.optional().catch(undefined),
  to: Month.optional().catch(undefined),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional()
    .catch(undefined),
});

/**
 * What every business chart follows.
 *
 * A range of months (both ends included; either end open) and one currency or all of them. Amounts
 * of different currencies are never added together: with no currency chosen, every amount is shown
 * per currency.
 */
export interface DashboardFilter {
  readonly from: string | null;
  readonly to: string | null;
  readonly currency: string | null;
}

/** The whole period, every currency: the default, since the data may end long before today. */
export const wholePeriod: DashboardFilter = Object.freeze({ from: null, to: null, currency: null });

/**
 * Reads the filter from a request's query string.
 *
 * A value of the wrong form is left out (the filter widens) rather than refused, so a hand-edited
 * address still shows a page.
 */
export function parseDashboardFilter(query: Readonly<Record<string, string | undefined>>): DashboardFilter {
  const raw = Object.fromEntries(
    Object.entries(query).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = FilterQuery.parse(raw);
  let from = parsed.from ?? null;
  let to = parsed.to ?? null;
  if (from && to && from > to) [from, to] = [to, from];
  return { from, to, currency: parsed.currency ?? null };
}

/** The query string that selects `filter` (empty for {@link wholePeriod}). */
export function filterQueryString(filter: DashboardFilter): string {
  const params = new URLSearchParams();
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (filter.currency) params.set('currency', filter.currency);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** The first day of the filter's first month and of its last month, as dates for SQL. */
export function filterMonths(filter: DashboardFilter): {
  readonly first: string | null;
  readonly last: string | null;
} {
  return {
    first: filter.from ? `${filter.from}-01` : null,
    last: filter.to ? `${filter.to}-01` : null,
  };
}
