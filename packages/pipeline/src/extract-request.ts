import { z } from 'zod';
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
 */
export const ExtractRequest = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('incremental'), table, requestedAt }),
  z.object({
    mode: z.literal('full'),
    table,
    requestedAt,
    run: z.string().regex(/^\d{8}T\d{9}$/),
    afterId: z.number().int().nonnegative().optional(),
  }),
  z.object({
    mode: z.literal('sweep'),
    table,
    requestedAt,
    run: z.string().regex(/^\d{8}T\d{9}$/),
    afterBucket: z.number().int().nonnegative().optional(),
  }),
]);
export type ExtractRequest = z.infer<typeof ExtractRequest>;

/** The FIFO message fields for an extract request: one extraction per table at a time. */
export function extractMessage(request: ExtractRequest, deduplicationId: string) {
  return {
    MessageBody: JSON.stringify(request),
    MessageGroupId: request.table,
    MessageDeduplicationId: deduplicationId,
  } as const;
}
