import type { CompressedChunk } from '../compression/compressed-chunk';
import type { CopySettings } from '../copy/source-queries';
import type { Isolation } from '../copy/totesys-source';
import type { ExtractContext } from '../extract-context';
import { type WriteOutcome, writeInOrder } from '../store/write-in-order';
import { observationTime } from './observation-clock';

/** The next page of a paged extraction: its COPY and settings, without the row limit. */
export interface ExtractPage {
  readonly copy: string;
  readonly settings: Omit<CopySettings, 'row_limit'>;
  /** How the page's transaction sees the database (default: read committed). */
  readonly isolation?: Isolation;
  /**
   * Runs in the page's transaction once every row of the page is written, with the number of
   * rows and whether the page was the last (it came back short); not when the page stopped early.
   */
  readonly finish?: (rows: number, last: boolean) => Promise<void>;
}

/**
 * Runs a paged extraction.
 *
 * Each page is one read-committed transaction and one COPY of at most
 * `queryRows` rows (each statement costs a scan and a sort), its chunks written in order by
 * `write`, which saves the position the next page starts from, then the page's `finish`. Each
 * page's chunks are written with the page's observation time, taken just before its COPY. Pages
 * follow until `next` has none, a page comes back short (the end of the table), or the time
 * budget is spent.
 */
export async function extractPages(
  context: ExtractContext,
  next: () => Promise<ExtractPage | undefined>,
  write: (chunk: CompressedChunk, observedAt: string) => Promise<void>,
): Promise<WriteOutcome> {
  const { config, source, budget } = context;
  for (;;) {
    const page = await next();
    if (!page) return 'done';
    let rows = 0;
    const settings = { ...page.settings, row_limit: String(config.queryRows) };
    const observedAt = observationTime(context.now);
    const outcome = await source.transaction(page.isolation ?? 'read committed', async () => {
      const written = await writeInOrder(
        source.chunks(page.copy, settings, config.chunkRows),
        async (chunk) => {
          await write(chunk, observedAt);
          rows += chunk.rows;
        },
        budget,
      );
      if (written === 'done') await page.finish?.(rows, rows < config.queryRows);
      return written;
    });
    if (outcome === 'out-of-time' || (rows === config.queryRows && budget.spent())) return 'out-of-time';
    if (rows < config.queryRows) return 'done';
  }
}
