import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { TableStatus } from '../src/stack/stack-status';
import { statusTable } from '../src/stack/status-table';
import { runTotes } from './run-totes';

const bin = fileURLToPath(new URL('../bin/totes.mjs', import.meta.url));
const red = '\x1b[31m';
const dim = '\x1b[2m';

const line = (deadLetters: number, quarantined: number | null): TableStatus => ({
  table: 'fact_sales_order',
  source: 'sales_order',
  sourceRows: 10,
  warehouseRows: 10,
  freshnessSeconds: 3,
  queued: 0,
  deadLetters,
  quarantined,
});

/** Runs `totes` on a pseudo-terminal (util-linux `script`), as in a shell, and returns what it showed. */
function onTerminal(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  const command = [process.execPath, bin, ...args].map((part) => `'${part}'`).join(' ');
  return new Promise((resolve) => {
    // The test runner may set FORCE_COLOR, which would override both the terminal and NO_COLOR.
    // Node turns colour off under a CI variable it does not know (tty.getColorDepth), as a user's
    // terminal has none.
    const { FORCE_COLOR: _, CI: _ci, ...inherited } = process.env;
    execFile('script', ['-qec', command, '/dev/null'], { env: { ...inherited, ...env } }, (_error, stdout) =>
      resolve(stdout),
    );
  });
}

describe('colour', () => {
  const saved = process.env.FORCE_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.FORCE_COLOR;
    else process.env.FORCE_COLOR = saved;
  });

  it('shows a non-zero DLQ or quarantine count in red, and zero plain, without upsetting the columns', () => {
    process.env.FORCE_COLOR = '1';
    const [header, bad, good] = statusTable([line(3, 2), line(0, 0)], new Date(), 120).split('\n');
    expect(bad).toContain(`${red}  3`);
    expect(bad?.split(red)).toHaveLength(3);
    expect(good).not.toContain('\x1b[');
    // The header's columns end where the plain row's do.
    expect(good?.length).toBe(header?.length);
  });

  it('is off when the output is not a terminal', async () => {
    delete process.env.FORCE_COLOR;
    expect(statusTable([line(3, 2)], new Date(), 120)).not.toContain('\x1b[');
    const run = await runTotes(['doctor', '--data-dir', '/nonexistent/totes-colour'], {
      FORCE_COLOR: undefined,
    });
    expect(run.stdout).toContain('skip');
    expect(run.stdout).not.toContain('\x1b[');
  });

  it('is on in a terminal, and off there with NO_COLOR', async () => {
    const args = ['doctor', '--data-dir', '/nonexistent/totes-colour'];
    const plain = { TERM: 'xterm-256color' };
    const coloured = await onTerminal(args, plain);
    expect(coloured).toContain('skip');
    expect(coloured).toContain(`${dim}skip`);
    const uncoloured = await onTerminal(args, { ...plain, NO_COLOR: '1' });
    expect(uncoloured).toContain('skip');
    expect(uncoloured).not.toContain('\x1b[');
  });
});
