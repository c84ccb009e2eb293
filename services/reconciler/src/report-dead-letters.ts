import type { QueueResource, StageName } from '@totes/pipeline';
import type { PipelineLogger, StageCountedMetrics } from '@totes/runtime';

/** How many messages a queue holds: visible, in flight and delayed. */
export type QueueDepth = (queueName: string) => Promise<number>;

/** What {@link reportDeadLetters} reads and where it says what it found. */
export interface DeadLetterReportDeps {
  /** The queues whose DLQs are read: every queue of the topology. */
  readonly queues: readonly QueueResource[];
  readonly depth: QueueDepth;
  readonly logger: PipelineLogger;
  readonly metrics: StageCountedMetrics<'reconcile'>;
}

/**
 * Reads the depth of every DLQ and says which hold messages.
 *
 * A stage whose DLQs hold messages gets `dead_letters` (their sum) for the next flush, which one
 * alarm per stage reads (`deadLettersMetricOf`); the log names each table and its count. A stage
 * whose DLQs are empty gets no metric at all, so a quiet pipeline costs no custom metric
 * (docs/decisions/0020). Returns the depth of every DLQ, by name.
 */
export async function reportDeadLetters(deps: DeadLetterReportDeps): Promise<ReadonlyMap<string, number>> {
  const depths = new Map<string, number>();
  // One GetQueueAttributes per DLQ: 32 small requests, side by side.
  await Promise.all(
    deps.queues.map(async (queue) =>
      depths.set(queue.deadLetterQueue, await deps.depth(queue.deadLetterQueue)),
    ),
  );
  const held: Partial<Record<StageName, Record<string, number>>> = {};
  for (const queue of deps.queues) {
    const count = depths.get(queue.deadLetterQueue) ?? 0;
    if (count === 0) continue;
    // The extract DLQ holds every table's requests (SQS counts no message group apart): named itself.
    held[queue.stage] = { ...held[queue.stage], [queue.table ?? queue.deadLetterQueue]: count };
  }
  for (const [stage, tables] of Object.entries(held) as [StageName, Record<string, number>][]) {
    deps.metrics.addForStage(
      'dead_letters',
      stage,
      Object.values(tables).reduce((sum, count) => sum + count, 0),
    );
  }
  if (Object.keys(held).length > 0) {
    deps.logger.warn('dead-letter queues hold messages: `totes dlq --stage <stage>` lists them', {
      deadLetters: held,
    });
  }
  return depths;
}
