import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedAws, startEmbeddedPostgres } from '@totes/local';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the run's PostgreSQL cluster, as its superuser, `postgres` database. */
    postgresAdminUrl: string;
    /** Endpoint of the run's AWS emulator. */
    awsEndpoint: string;
    awsRegion: string;
    /** A directory of the whole run, removed at its end: for what test files share (one synth). */
    runDir: string;
  }
}

/**
 * Starts one PostgreSQL cluster and one AWS emulator for the whole test run. Test files get
 * isolated databases and resource names from them (see `index.ts`). Everything lives in a
 * temporary directory that is removed at teardown, or by a watcher process when the run is
 * interrupted or killed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(join(tmpdir(), 'totes-test-'));
  // An interrupted or killed run skips the teardown below: a detached watcher then stops the
  // server and removes the directory once this process is gone.
  spawn(
    process.execPath,
    [fileURLToPath(new URL('./reaper.mjs', import.meta.url)), String(process.pid), runDir],
    {
      detached: true,
      stdio: 'ignore',
    },
  ).unref();
  const postgres = await startEmbeddedPostgres({ dataDir: join(runDir, 'pg'), persistent: false });
  const aws = await startEmbeddedAws();
  project.provide('postgresAdminUrl', postgres.url());
  project.provide('awsEndpoint', aws.endpoint);
  project.provide('awsRegion', aws.region);
  project.provide('runDir', runDir);
  return async () => {
    await aws.stop();
    await postgres.stop();
    await rm(runDir, { recursive: true, force: true });
  };
}
