import middy from '@middy/core';
import { MalformedObjectError } from '@totes/pipeline';
import type { PipelineLogger } from '@totes/runtime';
import { z } from 'zod';
import { defaultCalendarRange } from './mappings/calendar-range';
import type { TransformOutcome } from './transform-outcome';
import type { TransformStores } from './transform-stores';
import { writeCalendar } from './write-calendar';

/**
 * The event of the dim_date function: the days to cover, `YYYY-MM-DD`, defaulting to 2020-01-01 … 2030-12-31.
 *
 * It is invoked once when the pipeline is provisioned, and again with another range to extend the
 * calendar.
 */
export const CalendarRequest = z
  .object({
    from: z.iso.date().default(defaultCalendarRange.from),
    to: z.iso.date().default(defaultCalendarRange.to),
  })
  .refine((range) => range.from <= range.to, { message: '`from` must not be after `to`' });
export type CalendarRequest = z.input<typeof CalendarRequest>;

/** What the dim_date function is given at cold start. */
export interface CalendarDeps {
  readonly stores: Pick<TransformStores, 'processed'>;
  readonly generation: number;
  readonly logger: PipelineLogger;
}

/** The Lambda handler of dim_date: writes the calendar for the requested days. */
export type CalendarHandler = (
  event: CalendarRequest | undefined,
  context?: unknown,
) => Promise<TransformOutcome>;

/** Wires {@link writeCalendar} as the dim_date function. */
export function calendarHandler(deps: CalendarDeps): CalendarHandler {
  const handler = middy<CalendarRequest | undefined, TransformOutcome>().handler(async (event) => {
    const started = performance.now();
    const request = CalendarRequest.safeParse(event ?? {});
    if (!request.success) {
      throw new MalformedObjectError('dim_date calendar request', undefined, z.prettifyError(request.error));
    }
    const outcome = await writeCalendar(deps.stores, { range: request.data, generation: deps.generation });
    const log = outcome.status === 'exists' ? deps.logger.debug : deps.logger.info;
    log.call(deps.logger, `transform ${outcome.status}`, {
      ...outcome,
      durationMs: Math.round(performance.now() - started),
    });
    return outcome;
  });
  return (event, context) => handler(event, context as never);
}
