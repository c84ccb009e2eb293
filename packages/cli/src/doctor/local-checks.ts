import { constants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import {
  awsClients,
  blockedDirectoryMessage,
  blockedForPostgresUser,
  isProcessAlive,
  localStackSettings,
} from '@totes/local';
import { pipelineResources, resourceNames } from '@totes/pipeline';
import { errorSummary } from '../error-summary';
import { configuredLocalPorts, endpointNames, isPortFree, localPortVariables } from '../local-ports';
import { type RunningStack, readRunningFile } from '../stack/running-file';
import { type DoctorCheck, fail, ok, skip, warn } from './doctor-check';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** What the files of a data directory say about who uses it. */
export interface DataDirFacts {
  readonly dataDir: string;
  readonly hasStack: boolean;
  /** The `totes up` recorded in running.json, when its process is alive. */
  readonly running?: RunningStack;
}

async function readJson(path: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The data directory: there, writable, holding a stack, reachable by PostgreSQL when run as root. */
async function dataDirCheck(dataDir: string, hasStack: boolean): Promise<DoctorCheck> {
  const name = 'data directory';
  if (process.getuid?.() === 0) {
    // The server runs as `postgres` under root: every directory above the data directory (which
    // the stack opens itself) must let it pass.
    const blocked = await blockedForPostgresUser(dataDir);
    if (blocked) {
      return fail(
        name,
        `${dataDir} is out of reach of the postgres user`,
        blockedDirectoryMessage(dataDir, blocked),
      );
    }
  }
  const info = await stat(dataDir).catch(() => undefined);
  if (!info) {
    return warn(name, `${dataDir} does not exist yet`, '`totes up` or `totes sync` creates a stack there');
  }
  if (!info.isDirectory()) {
    return fail(name, `${dataDir} is not a directory`, 'point --data-dir or TOTES_DATA_DIR at a directory');
  }
  try {
    await access(dataDir, constants.W_OK);
  } catch {
    return fail(
      name,
      `${dataDir} is not writable`,
      `make it writable for this user, or use another --data-dir`,
    );
  }
  return hasStack
    ? ok(name, `${dataDir} holds a stack`)
    : warn(name, `${dataDir} holds no stack yet`, '`totes up` or `totes sync` creates one');
}

/** The lock file: held by a live command, or left by a dead one. */
async function lockCheck(dataDir: string): Promise<DoctorCheck> {
  const holder = await readJson(join(dataDir, 'totes.lock'));
  if (!holder) return ok('lock', 'no command holds the data directory');
  const pid = Number(holder.pid);
  const who = `\`totes ${String(holder.command)}\` (pid ${pid}, since ${String(holder.since)})`;
  return isProcessAlive(pid)
    ? ok('lock', `held by ${who}`)
    : warn('lock', `left by ${who}, which is gone`, 'nothing to do: the next command takes it over');
}

/** running.json: written by `totes up` while it runs; one whose process is gone is stale. */
async function runningFileCheck(dataDir: string): Promise<DoctorCheck> {
  const running = await readRunningFile(dataDir);
  if (!running) return ok('running.json', 'none: no `totes up` runs here');
  return isProcessAlive(running.pid)
    ? ok('running.json', `\`totes up\` runs (pid ${running.pid}, since ${running.startedAt})`)
    : warn(
        'running.json',
        `stale: pid ${running.pid} is gone (a crash or kill -9)`,
        'any command on the data directory removes it, e.g. `totes status`',
      );
}

/** A PostgreSQL running on the data directory while no live command holds it. */
async function orphanCheck(dataDir: string, lockHeld: boolean): Promise<DoctorCheck> {
  const lines = (await readFile(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').catch(() => '')).split(
    '\n',
  );
  const pid = Number(lines[0]);
  // A pid reused since by another program is not a PostgreSQL (the same test as stopOrphanedPostgres).
  const cmdline = lines[0] ? await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '') : '';
  if (!lines[0] || !isProcessAlive(pid) || !cmdline.includes('postgres')) {
    return ok('orphaned processes', 'no PostgreSQL left running');
  }
  if (lockHeld)
    return ok('orphaned processes', `PostgreSQL (pid ${pid}) belongs to the command holding the lock`);
  return fail(
    'orphaned processes',
    `PostgreSQL (pid ${pid}) runs on ${join(dataDir, 'postgres')} with no totes command holding it`,
    `the next command stops it (e.g. \`totes status\`), or stop it now: kill ${pid}`,
  );
}

/** The ports: answered by the running stack, or free for the next start. */
async function portChecks(running: RunningStack | undefined): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const configured = configuredLocalPorts();
  if (running) {
    // The embedded PostgreSQL serves whichever database is the stack's own; one given by URL is
    // not on this machine's loopback, and the database checks reach it.
    const embedded = running.embedded?.[0] ?? (running.embedded ? undefined : 'warehouse');
    const embeddedUrl =
      embedded === 'totesys' ? running.totesysUrl : embedded ? running.warehouseUrl : undefined;
    const endpoints: [string, number][] = [['AWS emulator', Number(new URL(running.awsEndpoint).port)]];
    if (embeddedUrl) endpoints.unshift(['PostgreSQL', Number(new URL(embeddedUrl).port)]);
    for (const [what, port] of endpoints) {
      checks.push(
        (await isPortFree(port))
          ? fail(
              `port ${port}`,
              `${what} of the running stack does not listen`,
              'stop `totes up` (Ctrl-C) and start it again',
            )
          : ok(`port ${port}`, `${what} of the running stack listens`),
      );
    }
    return checks;
  }
  for (const name of Object.keys(configured) as (keyof typeof configured)[]) {
    const { port, configured: set } = configured[name];
    const variable = localPortVariables[name];
    if (port === 0) {
      checks.push(ok(`${name} port`, `${endpointNames[name]}: any free port (${variable}=0)`));
    } else if (await isPortFree(port)) {
      checks.push(ok(`port ${port}`, `free for ${endpointNames[name]} (${set ? variable : 'the default'})`));
    } else if (set) {
      checks.push(
        fail(
          `port ${port}`,
          `${variable} is taken by another program`,
          `stop it, or set ${variable} to another port`,
        ),
      );
    } else {
      checks.push(
        warn(
          `port ${port}`,
          `the default port of ${endpointNames[name]} is taken by another program`,
          `the stack takes another port each start; set ${variable} to keep one`,
        ),
      );
    }
  }
  return checks;
}

/** The emulator of the running stack: answers, and holds every queue of the topology. */
async function emulatorCheck(running: RunningStack | undefined): Promise<DoctorCheck> {
  if (!running) return skip('AWS emulator', 'not running (it runs inside `totes up`)');
  const clients = awsClients({ endpoint: running.awsEndpoint, region: localStackSettings.region });
  try {
    const found = new Set<string>();
    let token: string | undefined;
    do {
      const page = await clients.sqs.send(new ListQueuesCommand({ MaxResults: 1000, NextToken: token }));
      for (const url of page.QueueUrls ?? []) found.add(url.split('/').pop() ?? '');
      token = page.NextToken;
    } while (token);
    const resources = pipelineResources(resourceNames(localStackSettings.environment));
    const expected = resources.queues.flatMap((queue) => [queue.name, queue.deadLetterQueue]);
    const missing = expected.filter((name) => !found.has(name));
    return missing.length === 0
      ? ok('AWS emulator', `${running.awsEndpoint} answers, with all ${expected.length} queues`)
      : fail(
          'AWS emulator',
          `${missing.length} queues missing (${missing.slice(0, 3).join(', ')}…)`,
          'stop `totes up` and start it again: it provisions every queue',
        );
  } catch (error) {
    return fail(
      'AWS emulator',
      `${running.awsEndpoint} does not answer: ${errorSummary(error)}`,
      'stop `totes up` (Ctrl-C) and start it again',
    );
  } finally {
    clients.destroy();
  }
}

/** What the data directory's files say, for the checks that follow them. */
export async function dataDirFacts(dataDir: string): Promise<DataDirFacts> {
  const running = await readRunningFile(dataDir);
  return {
    dataDir,
    hasStack: await exists(join(dataDir, 'stack.json')),
    ...(running && isProcessAlive(running.pid) ? { running } : {}),
  };
}

/**
 * The checks of a local stack that read files and ports only.
 *
 * Nothing is started or changed, so they are safe beside a running `totes up`.
 */
export async function localChecks(facts: DataDirFacts): Promise<DoctorCheck[]> {
  const { dataDir, running } = facts;
  const lock = await readJson(join(dataDir, 'totes.lock'));
  const lockHeld = lock !== undefined && isProcessAlive(Number(lock.pid));
  return [
    await dataDirCheck(dataDir, facts.hasStack),
    await lockCheck(dataDir),
    await runningFileCheck(dataDir),
    await orphanCheck(dataDir, lockHeld),
    ...(await portChecks(running)),
    await emulatorCheck(running),
  ];
}
