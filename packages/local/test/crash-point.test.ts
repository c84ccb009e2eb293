import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const crashPointModule = fileURLToPath(new URL('../src/crash-point.ts', import.meta.url));

/**
 * Reaches crash points in a process of its own, in a process group of its own (a crash kills its
 * group), as the pipeline's functions do: each `[point, detail]` in turn, then exits 0.
 */
async function reach(crashAt: string, points: readonly (readonly [string, string])[]) {
  const script = `const { crashPoint } = await import(${JSON.stringify(crashPointModule)});
for (const [point, detail] of ${JSON.stringify(points)}) crashPoint(point, detail);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    detached: true,
    env: { ...process.env, TOTES_CRASH_AT: crashAt },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stderr };
}

describe('a crash point asked for with TOTES_CRASH_AT', () => {
  it('kills the process group with SIGKILL the n-th time its point is reached with its detail', async () => {
    const run = await reach('before-delete:load-dim_staff#2', [
      ['before-publish', 'load-dim_staff'],
      ['before-delete', 'load-dim_currency'],
      ['before-delete', 'function load-dim_staff returned'],
      ['before-delete', 'function load-dim_staff returned again'],
    ]);
    expect(run.signal).toBe('SIGKILL');
    expect(run.stderr).toContain(
      'crashing on purpose at before-delete (function load-dim_staff returned again)',
    );
  });

  it('crashes the first time when no count is given, whatever the detail when none is given', async () => {
    const run = await reach('before-publish', [['before-publish', 'anything']]);
    expect(run.signal).toBe('SIGKILL');
  });

  it('lets the process go on when the point is not reached, or the setting is not one', async () => {
    for (const crashAt of ['before-delete:load-dim_staff#2', 'Not A Setting', '']) {
      const run = await reach(crashAt, [
        ['before-publish', 'load-dim_staff'],
        ['before-delete', 'load-dim_staff'],
      ]);
      expect({ crashAt, code: run.code, stderr: run.stderr }).toEqual({ crashAt, code: 0, stderr: '' });
    }
  });
});
