import { readFile } from 'node:fs/promises';
import { sourceTableNames, warehouseTableNames } from '@totes/pipeline';
import { describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

// A data directory that does not exist: a usage error must be reported before it is looked for.
const nowhere = ['--data-dir', '/nonexistent/totes-usage-test'];

describe('usage errors', () => {
  it.each([
    ['an unknown table', ['dlq', '--table', 'sales_orders']],
    ['a missing argument', ['reprocess']],
    ['a bad flag', ['status', '--bogus']],
    ['an unknown command', ['nope']],
    ['an unknown stage', ['reprocess', 'sales_order', '--from', 'bogus']],
    ['a bad number', ['verify', '--grace', 'soon']],
  ])('with --json, %s is one JSON document on stdout and exit code 2', async (_, args) => {
    const run = await runTotes([...args, ...nowhere, '--json']);
    expect(run.code).toBe(2);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] ?? '');
    expect(report.usage).toBe(true);
    expect(report.error).toEqual(expect.any(String));
    expect(report.error).not.toMatch(/^error: /);
    // One line on stderr, not the help text.
    expect(run.stderr).not.toContain('Usage:');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 2 on a usage error without --json too', async () => {
    const run = await runTotes(['status', '--bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("unknown option '--bogus'");
  });

  it.each([
    [['dlq', '--table', 'sales_orders'], 'sales_order'],
    [['quarantine', '--table', 'dim_stafff'], 'dim_staff'],
    [['verify', '--table', 'fact_sales'], 'fact_sales_order'],
    [['reprocess', 'salesorder'], 'sales_order'],
  ])('`totes %s` suggests the nearest table and lists them all', async (args, nearest) => {
    const text = await runTotes([...args, ...nowhere]);
    expect(text.code).toBe(2);
    expect(text.stderr).toContain(`did you mean ${nearest}?`);
    expect(text.stderr).not.toContain('no stack');

    const json = await runTotes([...args, ...nowhere, '--json']);
    expect(json.code).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ usage: true, suggestion: nearest });
    const expected =
      args[0] === 'verify' ? warehouseTableNames : [...sourceTableNames, ...warehouseTableNames];
    expect([...report.tables].sort()).toEqual([...new Set(expected)].sort());
    for (const table of expected) expect(text.stderr).toContain(table);
  });
});

describe('one vocabulary', () => {
  it('reprocess documents --from extract, transform, load', async () => {
    const run = await runTotes(['reprocess', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('extract, transform, load');
    expect(run.stdout).not.toMatch(/\bsource, transform/);
  });

  it('seed takes --totesys-url, and --url no longer shows', async () => {
    const run = await runTotes(['seed', '--help']);
    expect(run.stdout).toContain('--totesys-url <url>');
    expect(run.stdout).not.toContain('--url');
  });
});

describe('help and version', () => {
  it('prints the version of the package', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
    const run = await runTotes(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });

  it.each(['up', 'sync', 'status', 'dlq', 'quarantine', 'reprocess', 'seed', 'verify'])(
    '`totes %s --help` has examples',
    async (command) => {
      const run = await runTotes([command, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Examples:\\n  \\$ totes ${command}`));
    },
  );
});
