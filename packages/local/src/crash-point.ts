/**
 * A place where the local stack can be made to crash on purpose.
 *
 * It proves that nothing is lost when a process dies there. `TOTES_CRASH_AT=<point>[:<text>][#<n>]`
 * kills the whole process group with SIGKILL (as `kill -9` of the pipeline's process tree would)
 * the `n`-th time (1 by default) the point is reached with a detail containing `text`. Unset, it
 * does nothing.
 */
export type CrashPoint =
  /** The S3 proxy recorded a created object and has not published its event yet. */
  | 'before-publish'
  /** A function returned and its successful messages are not deleted yet. */
  | 'before-delete';

interface CrashPlan {
  readonly point: string;
  readonly text: string;
  remaining: number;
}

let plan: CrashPlan | undefined | null = null;

function planned(): CrashPlan | undefined {
  if (plan !== null) return plan;
  const setting = process.env.TOTES_CRASH_AT;
  const match = setting ? /^([a-z-]+)(?::([^#]*))?(?:#(\d+))?$/.exec(setting) : null;
  plan = match?.[1] ? { point: match[1], text: match[2] ?? '', remaining: Number(match[3] ?? 1) } : undefined;
  return plan;
}

/** Crashes here when `TOTES_CRASH_AT` asks for this point and `detail`. */
export function crashPoint(point: CrashPoint, detail: string): void {
  const crash = planned();
  if (!crash || crash.point !== point || !detail.includes(crash.text)) return;
  crash.remaining -= 1;
  if (crash.remaining > 0) return;
  process.stderr.write(`crashing on purpose at ${point} (${detail})\n`);
  // Signal 0's group: this process, its embedded PostgreSQL and whatever else it started.
  process.kill(0, 'SIGKILL');
}
