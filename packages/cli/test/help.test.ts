import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

/** The commands `totes --help` lists (without commander's own `help`). */
async function listedCommands(): Promise<string[]> {
  const run = await runTotes(['--help']);
  expect(run.code).toBe(0);
  const section = run.stdout.split('\nCommands:\n')[1]?.split('\n\n')[0] ?? '';
  return section
    .split('\n')
    .map((line) => /^ {2}([a-z][\w-]*)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== 'help');
}

/** Runs `work` over `items`, a few at a time (each is a child process). */
async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
}

describe('the command line’s documentation', () => {
  let commands: string[];
  beforeAll(async () => {
    commands = await listedCommands();
  });

  it('gives every command, and every subcommand, examples in its --help', async () => {
    expect(commands.length).toBeGreaterThan(10);
    const helps = await inBatches(
      [...commands.map((command) => [command]), ['state', 'reset']],
      3,
      async (words) => ({
        words: words.join(' '),
        run: await runTotes([...words, '--help']),
      }),
    );
    const without = helps
      .filter(
        ({ words, run }) =>
          run.code !== 0 || !new RegExp(`Examples:\\n  \\$ totes ${words}`).test(run.stdout),
      )
      .map(({ words }) => words);
    expect(without).toEqual([]);
    // Fifteen runs of the binary, three at a time: more than the default minute on a busy machine.
  }, 300_000);

  it('lists in the README’s command table exactly the commands the CLI has', async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
    const documented = new Set(
      [...readme.matchAll(/^\| `totes ([a-z][\w-]*)/gm)].map((match) => match[1] ?? ''),
    );
    expect([...documented].sort()).toEqual([...commands].sort());
  });
});
