import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

/** What bash offers for the words typed so far (the last one being completed), with the script loaded. */
function complete(script: string, words: readonly string[]): Promise<string[]> {
  const program = `source '${script}'; COMP_WORDS=(${words.map((word) => `'${word}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _totes; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', program], (error, stdout) =>
      error ? reject(error) : resolve(stdout.split('\n').filter(Boolean)),
    );
  });
}

describe('shell completion', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-completion-'));
    const run = await runTotes(['completion', 'bash']);
    expect(run.code, run.stderr).toBe(0);
    script = join(dir, 'totes.bash');
    await writeFile(script, run.stdout);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('completes commands', async () => {
    expect(await complete(script, ['totes', 'st'])).toEqual(['status', 'state']);
    expect(await complete(script, ['totes', 'doc'])).toEqual(['doctor']);
  });

  it('completes options of a command, and of a subcommand', async () => {
    expect(await complete(script, ['totes', 'up', '--no'])).toEqual(['--no-traffic']);
    expect(await complete(script, ['totes', 'state', 'reset', '--y'])).toEqual(['--yes']);
  });

  it('completes table names, stages and actions from the topology', async () => {
    expect(await complete(script, ['totes', 'dlq', '--table', 'fact_s'])).toEqual(['fact_sales_order']);
    expect(await complete(script, ['totes', 'reprocess', 'dim_st'])).toEqual(['dim_staff']);
    expect(await complete(script, ['totes', 'reprocess', 'dim_date', '--from', 't'])).toEqual(['transform']);
    expect(await complete(script, ['totes', 'state', 'reset', 'pay'])).toEqual(['payment_type', 'payment']);
    expect(await complete(script, ['totes', 'dlq', 'r'])).toEqual(['redrive']);
  });

  it('gives zsh the same through bashcompinit', async () => {
    const run = await runTotes(['completion', 'zsh']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('autoload -U +X bashcompinit && bashcompinit');
    expect(run.stdout).toContain('complete -F _totes totes');
  });

  it('refuses another shell as a usage error', async () => {
    const run = await runTotes(['completion', 'fish', '--json']);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({ usage: true });
  });
});
