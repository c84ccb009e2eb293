import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

const mkdirRejects = fileURLToPath(new URL('fixtures/mkdir-rejects.mjs', import.meta.url));

describe('a failure that carries no message', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-empty-error-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const seedInto = (reason: 'undefined' | 'empty', json: boolean) =>
    runTotes(['seed', '--data-dir', join(dir, 'new'), ...(json ? ['--json'] : [])], {
      NODE_OPTIONS: `--import=${mkdirRejects}`,
      TOTESYS_URL: '',
      TOTES_TEST_MKDIR_REJECTS: reason,
    });

  it('names the kind of what was thrown and the command, for a rejection with undefined', async () => {
    const run = await seedInto('undefined', true);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('totes: `totes seed` failed: undefined, which carries no message');
    expect(JSON.parse(run.stdout)).toEqual({
      error: '`totes seed` failed: undefined, which carries no message',
    });
  });

  it('names the error and the command for an Error with an empty message', async () => {
    const run = await seedInto('empty', false);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('totes: `totes seed` failed: Error, which carries no message');
    expect(run.stderr).not.toMatch(/totes: (undefined)?\n/);
  });
});
