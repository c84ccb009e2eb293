import { readdir, readFile } from 'node:fs/promises';

/** The memory of a process tree, sampled from `/proc` while it runs. */
export interface ProcessTreeMemory {
  /** The largest sum of resident memory of the tree at one sample, in MB. */
  readonly peakTreeMb: number;
  /** Each process's own peak resident memory (`VmHWM`) as last seen, in MB, by command line. */
  readonly peakByProcess: readonly { readonly pid: number; readonly command: string; readonly mb: number }[];
  /** CPU seconds (user and system) the tree's processes used, as last seen, summed. */
  readonly cpuSeconds: number;
}

/** User and system CPU seconds of a process, from `/proc/<pid>/stat` (clock ticks of 1/100 s). */
async function cpuOf(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

async function statusOf(pid: number): Promise<{ ppid: number; rssKb: number; hwmKb: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { ppid: field('PPid'), rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

async function commandOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * Samples the resident memory of `root` and all its descendants every `intervalMs` until
 * `stop()`; Linux only. The tree's peak is a sum at one instant, so it can miss a spike shorter
 * than the interval; each process's own peak cannot (the kernel keeps it).
 */
export function sampleProcessTree(root: number, intervalMs = 200): { stop(): Promise<ProcessTreeMemory> } {
  let peakTreeKb = 0;
  const peaks = new Map<number, { command: string; hwmKb: number }>();
  const cpu = new Map<number, number>();
  let stopped = false;
  const sample = async () => {
    const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
    const statuses = new Map<number, { ppid: number; rssKb: number; hwmKb: number }>();
    await Promise.all(
      pids.map(async (pid) => {
        const status = await statusOf(pid);
        if (status) statuses.set(pid, status);
      }),
    );
    const tree = new Set([root]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, status] of statuses) {
        if (!tree.has(pid) && tree.has(status.ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    let sum = 0;
    for (const pid of tree) {
      const status = statuses.get(pid);
      if (!status) continue;
      sum += status.rssKb;
      cpu.set(pid, Math.max(cpu.get(pid) ?? 0, await cpuOf(pid)));
      const known = peaks.get(pid);
      if (!known) peaks.set(pid, { command: await commandOf(pid), hwmKb: status.hwmKb });
      else known.hwmKb = Math.max(known.hwmKb, status.hwmKb);
    }
    peakTreeKb = Math.max(peakTreeKb, sum);
  };
  const loop = (async () => {
    while (!stopped) {
      await sample().catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  const mb = (kb: number) => Math.round(kb / 102.4) / 10;
  return {
    async stop() {
      stopped = true;
      await loop;
      return {
        peakTreeMb: mb(peakTreeKb),
        cpuSeconds: Math.round([...cpu.values()].reduce((sum, seconds) => sum + seconds, 0) * 10) / 10,
        peakByProcess: [...peaks.entries()]
          .map(([pid, { command, hwmKb }]) => ({ pid, command, mb: mb(hwmKb) }))
          .sort((a, b) => b.mb - a.mb),
      };
    },
  };
}
