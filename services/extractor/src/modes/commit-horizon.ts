/**
 * What the source reports about time and open transactions.
 *
 * As naive timestamps in totesys's zone (`YYYY-MM-DD HH:MM:SS.mmm`), each already moved back by its
 * margin.
 */
export interface HorizonProbe {
  /** Now, less the commit margin. */
  readonly nowLessMargin: string;
  /** Now, less the lag used when other sessions are hidden. */
  readonly nowLessLag: string;
  /** The start of the oldest transaction that has written (holds an xid), less the margin; null when none is open. */
  readonly oldestWriterLessMargin: string | null;
  /** Whether this role sees every session's transaction (superuser or `pg_read_all_stats`). */
  readonly seesAllSessions: boolean;
}

// Naive timestamps of one fixed width sort as their strings do.
const earliest = (times: readonly string[]) => [...times].sort()[0] as string;

/**
 * The commit horizon.
 *
 * The extractor takes only rows whose `last_updated` is before it, because a row stamped earlier
 * may still be uncommitted.
 *
 * A row is stamped by its application just before its transaction writes it, so a transaction
 * still open can only commit rows stamped after its own start (less the margin, which also covers
 * clock skew); transactions not yet begun stamp rows after now. So the horizon is the earlier of
 * now and the oldest open writer's start. When the role cannot see other roles' transactions
 * (PostgreSQL hides them without `pg_read_all_stats`), it falls back to a fixed lag behind now,
 * which a transaction held open longer than that lag would defeat: grant the role
 * `pg_read_all_stats`.
 */
export function commitHorizon(probe: HorizonProbe): string {
  const candidates = [probe.seesAllSessions ? probe.nowLessMargin : probe.nowLessLag];
  if (probe.oldestWriterLessMargin !== null) candidates.push(probe.oldestWriterLessMargin);
  return earliest(candidates);
}
