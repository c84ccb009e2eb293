import { type ExtractRequest, formatWatermark, type Watermark } from '@totes/pipeline';

/** A request to carry on where an invocation stopped, with its FIFO deduplication id. */
export interface Continuation {
  readonly request: ExtractRequest;
  /**
   * Unique per position reached, so a continuation sent twice for the same position (a retried
   * invocation) is delivered once, while each new position gets through.
   */
  readonly deduplicationId: string;
}

/** Where an interrupted run stopped. */
export type StopPosition =
  | {
      readonly mode: 'incremental';
      readonly watermark: Watermark | null;
      /** While the first extraction runs: the last key it took. */
      readonly initialAfterId?: number;
    }
  | { readonly mode: 'full'; readonly run: string; readonly afterId: number }
  | { readonly mode: 'sweep'; readonly run: string; readonly afterBucket: number | null };

/** The continuation of a table's run from where it stopped. */
export function continuationOf(table: ExtractRequest['table'], stop: StopPosition): Continuation {
  switch (stop.mode) {
    case 'incremental':
      return {
        request: { mode: 'incremental', table },
        deduplicationId: `${table}-incremental-${stop.watermark ? formatWatermark(stop.watermark) : `start-${stop.initialAfterId ?? 0}`}`,
      };
    case 'full':
      return {
        request: { mode: 'full', table, run: stop.run, afterId: stop.afterId },
        deduplicationId: `${table}-full-${stop.run}-${stop.afterId}`,
      };
    case 'sweep':
      return {
        request:
          stop.afterBucket === null
            ? { mode: 'sweep', table, run: stop.run }
            : { mode: 'sweep', table, run: stop.run, afterBucket: stop.afterBucket },
        deduplicationId: `${table}-sweep-${stop.run}-${stop.afterBucket ?? 'start'}`,
      };
  }
}

/** The table's extract queue, as far as the extractor needs it. */
export interface ExtractQueue {
  send(continuation: Continuation): Promise<void>;
}
