import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/totes.mjs', import.meta.url));

/** What a run of the `totes` command printed and returned. */
export interface TotesRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `totes` command as a user would, in a child process. */
export function runTotes(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<TotesRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}
