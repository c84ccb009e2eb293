import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTotes } from './run-totes';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe('commands that only read, on a data directory without a stack', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-no-stack-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([['status'], ['dlq', 'list'], ['quarantine'], ['verify']])(
    '`totes %s` says there is no stack there, exits 1 and creates nothing',
    async (...command) => {
      const typo = join(dir, 'typo');
      const run = await runTotes([...command, '--data-dir', typo, '--json'], {
        TOTESYS_URL: '',
        WAREHOUSE_URL: '',
      });
      expect(run.code).toBe(1);
      const { error } = JSON.parse(run.stdout);
      expect(error).toContain(`there is no stack in ${typo}`);
      expect(error).toMatch(/`totes up` or `totes sync`/);
      expect(run.stderr).toContain(`totes: there is no stack in ${typo}`);
      expect(await exists(typo)).toBe(false);
    },
  );
});
