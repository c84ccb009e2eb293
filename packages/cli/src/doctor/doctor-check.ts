/** How a check of `totes doctor` came out. `warn`: works, but not as it should; `skip`: not checked. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One check of `totes doctor`: what it found, and what to do when that is not right. */
export interface DoctorCheck {
  /** What was checked, in a few words (`data directory`, `warehouse grants`). */
  readonly check: string;
  readonly status: CheckStatus;
  /** What was found. */
  readonly detail: string;
  /** What to do about it (every `fail` and `warn` has one). */
  readonly fix?: string;
}

/** A check that passed. */
export const ok = (check: string, detail: string): DoctorCheck => ({ check, status: 'ok', detail });

/** A check that was not made, and why. */
export const skip = (check: string, detail: string): DoctorCheck => ({ check, status: 'skip', detail });

/** A check that found something to put right. */
export const fail = (check: string, detail: string, fix: string): DoctorCheck => ({
  check,
  status: 'fail',
  detail,
  fix,
});

/** A check that found something that works but should be put right. */
export const warn = (check: string, detail: string, fix: string): DoctorCheck => ({
  check,
  status: 'warn',
  detail,
  fix,
});
