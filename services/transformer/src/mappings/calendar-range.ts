/** A span of days for dim_date, `YYYY-MM-DD`, both ends inclusive. */
export interface CalendarRange {
  readonly from: string;
  readonly to: string;
}

/** The days dim_date holds from the start: every date the data can reference, and more. */
export const defaultCalendarRange: CalendarRange = { from: '2020-01-01', to: '2030-12-31' };
