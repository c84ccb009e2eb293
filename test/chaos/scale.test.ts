import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  dropTestDatabase,
  type TestDatabase,
  useTestDatabase,
} from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { query } from '../e2e/warehouse-queries';
import { differences, killAllStarted, runTotesProcess, startTotes } from './chaos-stack';

// A totesys five times the late-2024 size (about 240,000 rows): objects of 50,000 rows take
// seconds to transform and load, longer than any polling interval, which is where messages used
// to be received twice and dead-lettered although nothing had failed.
describe('a cold sync of a totesys at scale factor 5', { timeout: 240_000 }, () => {
  const totesys = useTestDatabase('scale_src');
  const made: { warehouse: TestDatabase; dataDir: string }[] = [];

  async function fresh() {
    const run = {
      warehouse: await createTestDatabase('scale_wh'),
      dataDir: await mkdtemp(join(tmpdir(), 'totes-scale-')),
    };
    made.push(run);
    return run;
  }
  const env = (run: { warehouse: TestDatabase }) => ({
    TOTESYS_URL: totesys.url,
    WAREHOUSE_URL: run.warehouse.url,
  });

  beforeAll(async () => {
    await seedTotesys(totesys.url, { scale: 5, seed: 5 });
  });
  afterAll(async () => {
    killAllStarted();
    for (const run of made) {
      await dropTestDatabase(run.warehouse);
      await rm(run.dataDir, { recursive: true, force: true });
    }
  });

  it('exits 0 with no dead letter and every message tried once, the warehouse equal to the source', async () => {
    const run = await fresh();
    const synced = await runTotesProcess(['sync', '--data-dir', run.dataDir, '--json'], env(run));
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout).deadLetters).toEqual([]);
    expect(await differences(totesys.url, run.warehouse.url)).toEqual([]);
    // Nothing failed: facts may wait for their dimensions, but no message was bad or lost its
    // attempts to a second worker receiving it while the first was still on it.
    const log = await readFile(join(run.dataDir, 'logs', 'pipeline.log'), 'utf8');
    expect(log).not.toMatch(/"kind":"(bad-input|transient)"/);
  });

  it('exits 0 with no dead letter after a kill -9 mid-way, the warehouse equal to the source', async () => {
    const run = await fresh();
    // Killed while its largest objects are on their way through the stages.
    const killed = startTotes(['sync', '--data-dir', run.dataDir, '--json'], env(run));
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    killed.killTree();
    expect((await killed.ended).signal).toBe('SIGKILL');

    const synced = await runTotesProcess(['sync', '--data-dir', run.dataDir, '--json'], env(run));
    expect(synced.code, synced.stderr).toBe(0);
    const result = JSON.parse(synced.stdout);
    expect(result.deadLetters).toEqual([]);
    const orders = await query<{ n: number }>(
      run.warehouse.url,
      'SELECT count(*)::int AS n FROM fact_sales_order',
    );
    expect(orders[0]?.n).toBeGreaterThan(50_000);
    expect(await differences(totesys.url, run.warehouse.url)).toEqual([]);
  });
});
