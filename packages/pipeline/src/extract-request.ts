import { z } from 'zod';
import { compactTimestampOf } from './compact-timestamp';
import { isSourceTableName, type SourceTableName } from './source-tables';

/**
 * When the request was made (ISO 8601). Schedules fill it in (EventBridge Scheduler's
 * `<aws.scheduler.scheduled-time>`), so two requests for the same table are distinct messages
 * to a FIFO queue with content-based deduplication.
 */
const requestedAt = z.iso.datetime({ offset: true }).optional();

const table = z
  .string()
  .refine(isSourceTableName, { message: 'not a source table of the topology' })
  .transform((name) => name as SourceTableName);

// A run is named by a compact timestamp; a scheduled request leaves it out and is named by the
// time it was scheduled for (EventBridge Scheduler can fill in an ISO time, not this form).
const run = z
  .string()
  .regex(/^\d{8}T\d{9}$/)
  .optional();

/**
 * A request to the extractor of one table, as sent to its FIFO queue (by the scheduler, a
 * person reprocessing a table, or the extractor itself continuing a long run).
 *
 * - `incremental`: rows changed since the saved watermark (or, for a reference table, a new
 *   snapshot if the content changed).
 * - `full`: the whole table again, by primary key; `afterId` continues a run that stopped at its
 *   time budget.
 * - `sweep`: compare bucketed hashes with the previous sweep and re-extract changed buckets;
 *   `afterBucket` continues a run.
 *
 * A `full` or `sweep` request names its run, or gives `requestedAt`, from which the run is
 * named (`2024-11-04T09:15:02.345Z` → `20241104T091502345`).
 */
const RequestShape = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('incremental'), table, requestedAt }),
  z.object({
    mode: z.literal('full'),
    table,
    requestedAt,
    run,
    afterId: z.number().int().nonnegative().optional(),
  }),
  z.object({
    mode: z.literal('sweep'),
    table,
    requestedAt,
    run,
    afterBucket: z.number().int().nonnegative().optional(),
  }),
]);

type Named<R> = R extends { readonly mode: 'full' | 'sweep' } ? Omit<R, 'run'> & { readonly run: string } : R;

/** A parsed extract request: a `full` or `sweep` request always has its run. */
export type ExtractRequest = Named<z.output<typeof RequestShape>>;

/** Parses an extract request; a `full` or `sweep` request without its run takes it from `requestedAt`. */
export const ExtractRequest = RequestShape.transform((request, context): ExtractRequest => {
  if (request.mode === 'incremental') return request;
  if (request.run !== undefined) return { ...request, run: request.run };
  if (request.requestedAt === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['run'],
      message: `a ${request.mode} request needs its run, or the requestedAt its run is named by`,
    });
    return z.NEVER;
  }
  return { ...request, run: compactTimestampOf(new Date(request.requestedAt)) };
});

/** The FIFO message fields for an extract request: one extraction per table at a time. */
export function extractMessage(request: ExtractRequest, deduplicationId: string) {
  return {
    MessageBody: JSON.stringify(request),
    MessageGroupId: request.table,
    MessageDeduplicationId: deduplicationId,
  } as const;
}
