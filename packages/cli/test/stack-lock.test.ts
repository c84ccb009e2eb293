import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError } from '../src/cli-error';
import { claimDataDir } from '../src/stack/claim-data-dir';
import {
  type RunningStack,
  readRunningFile,
  readRunningStack,
  writeRunningStack,
} from '../src/stack/running-file';
import { type LockHolder, lockStack, StackLockedError } from '../src/stack/stack-lock';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A process that runs until its stdin closes. */
async function liveProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn(process.execPath, ['-e', 'process.stdin.resume()'], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await once(child, 'exit');
  return child.pid ?? 0;
}

describe('the lock of a data directory', () => {
  let dataDir: string;
  const lockFile = () => join(dataDir, 'totes.lock');
  const holdWith = (holder: LockHolder) => writeFile(lockFile(), JSON.stringify(holder));
  const live: ChildProcess[] = [];
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'totes-lock-'));
  });
  afterEach(async () => {
    for (const child of live.splice(0)) {
      child.stdin?.end();
      await once(child, 'exit');
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('names its holder while held, and is gone once released', async () => {
    const lock = await lockStack(join(dataDir, 'new'), 'sync');
    const file = join(dataDir, 'new', 'totes.lock');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, command: 'sync' });
    expect(lock.tookOverFrom).toBeUndefined();
    await lock.release();
    await lock.release();
    expect(await exists(file)).toBe(false);
  });

  it('is refused while a live process holds it, naming the holder and what to do', async () => {
    const holder = await liveProcess();
    live.push(holder);
    await holdWith({ pid: holder.pid, command: 'up', since: '2024-11-04T09:15:00.000Z' });
    const refused = lockStack(dataDir, 'sync');
    await expect(refused).rejects.toBeInstanceOf(StackLockedError);
    await expect(refused).rejects.toThrow(
      `${dataDir} is in use by \`totes up\` (pid ${holder.pid}, since 2024-11-04T09:15:00.000Z): wait for it or stop it with Ctrl-C, or use another --data-dir`,
    );
    await holdWith({ pid: holder.pid, command: 'verify', since: 'then' });
    await expect(lockStack(dataDir, 'sync')).rejects.toThrow(
      'wait for it to finish, or use another --data-dir',
    );
    expect(await exists(lockFile())).toBe(true);
  });

  it('is taken over from a holder that is gone, saying from whom', async () => {
    const gone: LockHolder = { pid: await deadPid(), command: 'up', since: '2024-11-04T09:15:00.000Z' };
    await holdWith(gone);
    const lock = await lockStack(dataDir, 'status');
    expect(lock.tookOverFrom).toEqual(gone);
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'status',
    });
    await lock.release();
  });

  it('is given up on after a while when its file stays unreadable, which the next command then finds gone', async () => {
    await writeFile(lockFile(), '{"pid": ');
    await expect(lockStack(dataDir, 'sync')).rejects.toThrow(
      new CliError(`could not take the lock ${lockFile()}: it keeps changing; is another totes starting?`),
    );
    const lock = await lockStack(dataDir, 'sync');
    await lock.release();
  });

  it('is not released by a command that no longer holds it', async () => {
    const lock = await lockStack(dataDir, 'sync');
    const next: LockHolder = { pid: process.pid, command: 'up', since: 'later' };
    await holdWith(next);
    await lock.release();
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toEqual(next);
  });

  describe('claimed after a crash', () => {
    const stack = (pid: number): RunningStack => ({
      pid,
      totesysUrl: 'postgresql://postgres:***@127.0.0.1:1/totesys',
      warehouseUrl: 'postgresql://postgres:***@127.0.0.1:1/warehouse',
      awsEndpoint: 'http://127.0.0.1:2',
      startedAt: '2024-11-04T09:15:00.000Z',
    });

    it('clears the lock and running.json of the crashed command, and says so in one line', async () => {
      const pid = await deadPid();
      await holdWith({ pid, command: 'up', since: '2024-11-04T09:15:00.000Z' });
      await writeRunningStack(dataDir, stack(pid));
      const said: string[] = [];
      const lock = await claimDataDir(dataDir, 'sync', (line) => said.push(line));
      expect(said).toEqual([
        `recovered from an earlier crash: took over the lock of \`totes up\` (pid ${pid}, since 2024-11-04T09:15:00.000Z), which is gone`,
      ]);
      expect(await readRunningFile(dataDir)).toBeUndefined();
      await lock.release();
    });

    it('names a running.json left by another process', async () => {
      const pid = await deadPid();
      await writeRunningStack(dataDir, stack(pid));
      const said: string[] = [];
      const lock = await claimDataDir(dataDir, 'status', (line) => said.push(line));
      expect(said).toEqual([`recovered from an earlier crash: removed the running.json of pid ${pid}`]);
      await lock.release();
    });

    it('says nothing when nothing was left behind', async () => {
      const said: string[] = [];
      const lock = await claimDataDir(dataDir, 'status', (line) => said.push(line));
      expect(said).toEqual([]);
      await lock.release();
    });
  });

  it('reads a running stack only while its process lives', async () => {
    const holder = await liveProcess();
    live.push(holder);
    await writeRunningStack(dataDir, {
      pid: holder.pid,
      totesysUrl: 't',
      warehouseUrl: 'w',
      awsEndpoint: 'a',
      startedAt: 's',
    });
    expect(await readRunningStack(dataDir)).toMatchObject({ pid: holder.pid });
    await writeRunningStack(dataDir, {
      pid: await deadPid(),
      totesysUrl: 't',
      warehouseUrl: 'w',
      awsEndpoint: 'a',
      startedAt: 's',
    });
    expect(await readRunningStack(dataDir)).toBeUndefined();
    expect(await readRunningFile(dataDir)).toBeDefined();
  });
});
