import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, dropTestDatabase, useTestDatabase } from '@totes/test-harness';
import { seedTotesys } from '@totes/totesys-sim';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatChecks } from '../src/commands/doctor-command';
import type { DoctorCheck } from '../src/doctor/doctor-check';
import { runTotes } from './run-totes';

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid;
}

const checkNamed = (checks: readonly DoctorCheck[], name: string) => {
  const check = checks.find((candidate) => candidate.check === name);
  if (!check) throw new Error(`no check named ${name} in ${checks.map((c) => c.check).join(', ')}`);
  return check;
};

describe('totes doctor on a local data directory', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-doctor-'));
    // As root the data directories below must be reachable by the postgres user (mkdtemp gives 700).
    await chmod(dir, 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds what a crash left (a stale running.json, a dead holder’s lock) and says what to do, exiting 0', async () => {
    const dataDir = join(dir, 'crashed');
    await mkdir(dataDir);
    await writeFile(join(dataDir, 'stack.json'), '{}\n');
    const pid = deadPid();
    await writeFile(
      join(dataDir, 'running.json'),
      JSON.stringify({ pid, totesysUrl: '', warehouseUrl: '', awsEndpoint: '', startedAt: 'earlier' }),
    );
    await writeFile(join(dataDir, 'totes.lock'), JSON.stringify({ pid, command: 'up', since: 'earlier' }));
    const run = await runTotes(['doctor', '--data-dir', dataDir, '--json'], {
      TOTESYS_URL: '',
      WAREHOUSE_URL: '',
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ ok: true, dataDir, running: false });
    expect(checkNamed(report.checks, 'data directory')).toMatchObject({ status: 'ok' });
    expect(checkNamed(report.checks, 'running.json')).toMatchObject({
      status: 'warn',
      detail: `stale: pid ${pid} is gone (a crash or kill -9)`,
      fix: expect.stringContaining('`totes status`'),
    });
    expect(checkNamed(report.checks, 'lock')).toMatchObject({
      status: 'warn',
      fix: expect.stringMatching(/takes it over/),
    });
    expect(checkNamed(report.checks, 'totesys')).toMatchObject({ status: 'skip' });
  });

  it('fails on a PostgreSQL left running with no command holding the directory, naming its pid', async () => {
    const dataDir = join(dir, 'orphan');
    await mkdir(join(dataDir, 'postgres'), { recursive: true });
    // A live process whose command line says postgres, as an orphaned server's does.
    const orphan: ChildProcess = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', 'postgres']);
    try {
      await writeFile(
        join(dataDir, 'postgres', 'postmaster.pid'),
        `${orphan.pid}\n${join(dataDir, 'postgres')}\n`,
      );
      const run = await runTotes(['doctor', '--data-dir', dataDir, '--json'], {
        TOTESYS_URL: '',
        WAREHOUSE_URL: '',
      });
      expect(run.code).toBe(1);
      const report = JSON.parse(run.stdout);
      expect(report.ok).toBe(false);
      expect(checkNamed(report.checks, 'orphaned processes')).toMatchObject({
        status: 'fail',
        fix: expect.stringContaining(`kill ${orphan.pid}`),
      });
    } finally {
      orphan.kill('SIGKILL');
    }
  });

  it('fails on a configured port another program holds, naming the variable', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const run = await runTotes(['doctor', '--data-dir', join(dir, 'ports'), '--json'], {
        TOTES_POSTGRES_PORT: String(port),
        TOTESYS_URL: '',
        WAREHOUSE_URL: '',
      });
      expect(run.code).toBe(1);
      expect(checkNamed(JSON.parse(run.stdout).checks, `port ${port}`)).toMatchObject({
        status: 'fail',
        detail: 'TOTES_POSTGRES_PORT is taken by another program',
      });
    } finally {
      server.close();
    }
  });

  it('prints every check within 80 columns, with what to do under a problem', () => {
    const text = formatChecks([
      { check: 'ok thing', status: 'ok', detail: 'fine' },
      {
        check: 'a check with a rather long name indeed',
        status: 'fail',
        detail: 'something long happened '.repeat(8),
        fix: 'do this and then that '.repeat(8),
      },
    ]);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    expect(text).toMatch(/\n {26}→ do this/);
  });
});

describe('totes doctor on databases given by URL', () => {
  const totesys = useTestDatabase('cli_doctor_totesys');
  const role = `doctor_${process.pid}`;
  const password = 'doctor-secret-7f3a';
  let warehouse: { name: string; url: string };
  const as = (url: string) => {
    const parsed = new URL(url);
    parsed.username = role;
    parsed.password = password;
    return parsed.toString();
  };
  beforeAll(async () => {
    await seedTotesys(totesys.url, { scale: 0.02, seed: 4 });
    warehouse = await createTestDatabase('cli_doctor_wh');
    const admin = new pg.Client({ connectionString: totesys.url });
    await admin.connect();
    try {
      // A reader that may read the tables but was not granted pg_read_all_stats.
      await admin.query(
        `CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`,
      );
      await admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${pg.escapeIdentifier(role)}`);
    } finally {
      await admin.end();
    }
  });
  afterAll(async () => {
    if (warehouse) await dropTestDatabase(warehouse);
    const admin = new pg.Client({ connectionString: totesys.url });
    await admin.connect();
    try {
      await admin.query(`DROP OWNED BY ${pg.escapeIdentifier(role)}`);
      await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
    } finally {
      await admin.end();
    }
  });

  it('warns that the extraction role lacks pg_read_all_stats, and fails a warehouse it may not build', async () => {
    const run = await runTotes(
      [
        'doctor',
        '--data-dir',
        join(tmpdir(), 'totes-doctor-none'),
        '--totesys-url',
        as(totesys.url),
        '--warehouse-url',
        as(warehouse.url),
        '--json',
      ],
      { TOTES_POSTGRES_PORT: '0', TOTES_AWS_PORT: '0', TOTES_S3_PORT: '0' },
    );
    const report = JSON.parse(run.stdout);
    expect(checkNamed(report.checks, 'totesys')).toMatchObject({ status: 'ok' });
    expect(checkNamed(report.checks, 'totesys tables')).toMatchObject({ status: 'ok' });
    expect(checkNamed(report.checks, 'totesys pg_read_all_stats')).toMatchObject({
      status: 'warn',
      fix: `GRANT pg_read_all_stats TO ${role} (as a superuser)`,
    });
    expect(checkNamed(report.checks, 'warehouse schema')).toMatchObject({
      status: 'fail',
      fix: expect.stringContaining(`GRANT CREATE ON DATABASE ${warehouse.name} TO ${role}`),
    });
    expect(run.code).toBe(1);
    expect(`${run.stdout}${run.stderr}`).not.toContain(password);
  });

  it('names a database it cannot reach, without its password', async () => {
    const wrong = new URL(as(totesys.url));
    wrong.password = 'not-it-91b2';
    const run = await runTotes(
      [
        'doctor',
        '--data-dir',
        join(tmpdir(), 'totes-doctor-none'),
        '--totesys-url',
        wrong.toString(),
        '--json',
      ],
      { WAREHOUSE_URL: '' },
    );
    expect(run.code).toBe(1);
    expect(checkNamed(JSON.parse(run.stdout).checks, 'totesys')).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/^cannot connect to the totesys database/),
    });
    expect(`${run.stdout}${run.stderr}`).not.toContain('not-it-91b2');
  });
});
