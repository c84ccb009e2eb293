import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isProcessAlive } from '@totes/local';

/** What `totes up` records while it runs, so `totes status` can read the running stack. */
export interface RunningStack {
  readonly pid: number;
  readonly totesysUrl: string;
  readonly warehouseUrl: string;
  readonly awsEndpoint: string;
  readonly startedAt: string;
  /** The databases that are the stack's own embedded ones (absent in files of older versions). */
  readonly embedded?: readonly ('totesys' | 'warehouse')[];
}

const fileOf = (dataDir: string) => join(dataDir, 'running.json');

/** Records the running stack (the file is in the data directory, which holds its data anyway). */
export async function writeRunningStack(dataDir: string, stack: RunningStack): Promise<void> {
  await writeFile(fileOf(dataDir), `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
}

/** Forgets the running stack. */
export async function removeRunningStack(dataDir: string): Promise<void> {
  await rm(fileOf(dataDir), { force: true });
}

/** What `running.json` records, whether or not its process is still alive. */
export async function readRunningFile(dataDir: string): Promise<RunningStack | undefined> {
  try {
    return JSON.parse(await readFile(fileOf(dataDir), 'utf8')) as RunningStack;
  } catch {
    return undefined;
  }
}

/** The stack running from this data directory, if its process is alive. */
export async function readRunningStack(dataDir: string): Promise<RunningStack | undefined> {
  const stack = await readRunningFile(dataDir);
  return stack && isProcessAlive(stack.pid) ? stack : undefined;
}
