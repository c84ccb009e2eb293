import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

function exposedGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  // V8 gives `gc` to contexts created while --expose-gc is set: one is made for it, and the flag
  // is cleared again at once (https://nodejs.org/api/v8.html#v8setflagsfromstringflags).
  setFlagsFromString('--expose-gc');
  try {
    return runInNewContext('gc') as () => void;
  } finally {
    setFlagsFromString('--no-expose-gc');
  }
}

// Rows between two collections: 100k fact rows leave ~30 MB behind.
const rowsPerCollection = 100_000;

let gc: (() => void) | undefined;
let uncollected = 0;

/**
 * Full garbage collections paced by the rows the loader passes on.
 *
 * So a load's peak memory does not grow with its object. Every row group leaves garbage that
 * nothing references once its rows are written (256 KB COPY chunks, hyparquet's decoded columns:
 * ~30 MB per 100k fact rows), but V8 collects only when its old space has grown enough and lets the
 * buffers pile up meanwhile: in the load benchmark a 1M-row load peaked at 230–247 MB RSS against
 * 172–192 MB for 100k rows. A collection every 100k rows keeps it at 196–202 MB. Each takes 20–70
 * ms: hidden while the direct path waits for PostgreSQL, ~0.3–0.5 s per million rows on the staged
 * path. A minor collection is cheaper but promotes the row group in hand, and peaked higher
 * (278–292 MB). V8 offers no gentler way to ask: the process is never idle during a load.
 */
export const rowGarbage = {
  /** Notes that `rows` more rows were passed on. */
  left(rows: number): void {
    uncollected += rows;
  },

  /** Collects when 100k rows or more were passed on since the last collection. */
  collectIfDue(): void {
    if (uncollected < rowsPerCollection) return;
    gc ??= exposedGc();
    gc();
    uncollected = 0;
  },
};
