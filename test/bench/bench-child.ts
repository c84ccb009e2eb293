import { type ChildProcess, spawn } from 'node:child_process';

/** How a benchmark's own process is started. */
export interface BenchProcessOptions {
  /** Node options of the process: the measured side runs with its functions' own. */
  readonly nodeOptions?: readonly string[];
  /** Variables added to this process's environment. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts `pnpm bench <bench> …args` again in a Node process of its own, with this process's
 * loader options (`tsx`), so that what it measures (its peak RSS above all) is its own.
 */
export function spawnBench(
  bench: string,
  args: readonly string[],
  options: BenchProcessOptions = {},
): ChildProcess {
  const runner = process.argv[1] as string;
  const node = [...process.execArgv, ...(options.nodeOptions ?? [])];
  return spawn(process.execPath, [...node, runner, bench, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...options.env },
  });
}

/**
 * Runs `pnpm bench <bench> --child …args` in a process of its own and resolves with the JSON
 * object it prints last; rejects, with what it printed, if it fails.
 */
export function runBenchChild<R>(
  bench: string,
  args: readonly string[],
  options: BenchProcessOptions = {},
): Promise<R> {
  return new Promise((resolve, reject) => {
    const proc = spawnBench(bench, ['--child', ...args], options);
    let out = '';
    proc.stdout?.on('data', (data: Buffer) => {
      out += data.toString();
    });
    proc.on('error', reject);
    proc.on('close', (code) => {
      const last = out.trim().split('\n').at(-1);
      if (code === 0 && last) resolve(JSON.parse(last) as R);
      else reject(new Error(`the ${bench} ${args[0] ?? ''} run exited with ${code}: ${out}`));
    });
  });
}
