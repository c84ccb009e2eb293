#!/usr/bin/env node
// Runs a command with the project's toolchain: Node 24, a pinned pnpm and the installed
// dependencies. Whatever is missing is brought into `.toolchain/` (git-ignored) first, so the
// root scripts work on a machine that has only Node 20 and npm. Nothing is installed
// system-wide, and a machine that already has Node 24 and the pinned pnpm downloads nothing.
//
// Usage: node packages/toolchain/run.mjs <command> [args...]
// Plain JavaScript on purpose: it must run under the machine's Node before anything else exists.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentLibc, nodePackageFor } from './node-package.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pins = JSON.parse(readFileSync(join(root, 'packages', 'toolchain', 'package.json'), 'utf8')).toolchain;
const toolDir = join(root, '.toolchain');
const toolBin = join(toolDir, 'node_modules', '.bin');
const pnpmVersion = pins.pnpm;
const nodeMajor = Number(pins.node.split('.')[0]);

function say(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function output(command, args, env) {
  const result = spawnSync(command, args, { encoding: 'utf8', env });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** Installs the pinned packages into .toolchain with the machine's npm (once). */
function npmInstallTools(specs) {
  mkdirSync(toolDir, { recursive: true });
  if (!existsSync(join(toolDir, 'package.json'))) {
    writeFileSync(join(toolDir, 'package.json'), '{ "private": true }\n');
  }
  say(`installing ${specs.join(', ')} into .toolchain/`);
  const status = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', toolDir, ...specs],
    {
      cwd: toolDir,
    },
  );
  if (status !== 0) throw new Error(`npm could not install ${specs.join(', ')} (exit ${status})`);
}

function ensureTools() {
  const needed = [];
  const systemNodeOk = majorOf(process.version) === nodeMajor;
  const nodePackage = nodePackageFor(process.platform, process.arch, pins, currentLibc());
  const localNode = join(toolBin, 'node');
  const localNodeOk =
    existsSync(localNode) &&
    nodePackage.version !== undefined &&
    output(localNode, ['--version']) === `v${nodePackage.version}`;
  if (!systemNodeOk && !localNodeOk) {
    if (nodePackage.problem)
      throw new Error(
        `Node.js ${nodeMajor} is needed and this is ${process.version}; ${nodePackage.problem}`,
      );
    needed.push(nodePackage.spec);
  }

  const systemPnpm = output('pnpm', ['--version']);
  const systemPnpmOk = systemPnpm === pnpmVersion;
  const localPnpmOk =
    existsSync(join(toolDir, 'node_modules', 'pnpm', 'package.json')) &&
    JSON.parse(readFileSync(join(toolDir, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version ===
      pnpmVersion;
  if (!systemPnpmOk && !localPnpmOk) needed.push(`pnpm@${pnpmVersion}`);

  if (needed.length > 0) {
    // npm --no-save would drop packages installed earlier; keep the ones already present.
    if (localNodeOk && nodePackage.spec && !needed.some((s) => s.startsWith('node-')))
      needed.push(nodePackage.spec);
    if (localPnpmOk && !needed.some((s) => s.startsWith('pnpm@'))) needed.push(`pnpm@${pnpmVersion}`);
    npmInstallTools(needed);
  }
  const pathParts = [];
  if (!systemNodeOk || !systemPnpmOk) pathParts.push(toolBin);
  pathParts.push(join(root, 'node_modules', '.bin'));
  return { ...process.env, PATH: [...pathParts, process.env.PATH ?? ''].join(delimiter) };
}

/** Installs the workspace dependencies when the lockfile changed since the last install. */
function ensureDependencies(env) {
  const lockfile = join(root, 'pnpm-lock.yaml');
  const manifests = [lockfile, join(root, 'package.json')]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file));
  const digest = createHash('sha256');
  for (const content of manifests) digest.update(content);
  digest.update(output('node', ['--version'], env) ?? '');
  const stamp = digest.digest('hex');
  const stampFile = join(root, 'node_modules', '.toolchain-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return;
  say('installing dependencies with pnpm');
  const frozen = process.env.CI ? ['--frozen-lockfile'] : [];
  const status = run('pnpm', ['install', ...frozen], { cwd: root, env });
  if (status !== 0) throw new Error(`pnpm install failed (exit ${status})`);
  writeFileSync(stampFile, stamp);
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    say('usage: node packages/toolchain/run.mjs <command> [args...]');
    return 2;
  }
  const env = ensureTools();
  ensureDependencies(env);
  return runForwardingSignals(command, args, env);
}

/** The environment variable that tells the command which inherited descriptor is its lifeline. */
const lifelineVariable = 'TOOLCHAIN_LIFELINE';
const lifelineFd = 3;
const parentPollMs = 500;

/**
 * Runs the command and passes Ctrl-C and termination on to it, so it can stop cleanly (stop its
 * servers, remove its temporary files) and its exit status becomes ours.
 *
 * Signals alone do not cover every way a run ends: npm hands a TERM to the `sh -c` it runs the
 * script with, and that shell dies without passing it on; a `kill -9` of this process passes
 * nothing. So the command also gets a lifeline, a pipe on descriptor 3 (named in
 * `TOOLCHAIN_LIFELINE` with this process's pid) that the kernel closes however this process ends, and this process
 * treats losing its parent (being reparented) as a hang-up.
 */
function runForwardingSignals(command, args, env) {
  return new Promise((resolvePromise, reject) => {
    // The child gets a process group of its own, so Ctrl-C reaches it once, through us, and never
    // reaches the servers it starts (an embedded PostgreSQL would stop at once, mid-shutdown).
    const child = spawn(command, args, {
      cwd: root,
      // With our pid: only our own child takes the descriptor; its children inherit the variable
      // (a command that is not Node cannot remove it) but not the descriptor.
      env: { ...env, [lifelineVariable]: `${lifelineFd}:${process.pid}` },
      stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
      detached: true,
    });
    // Nothing is ever written: the pipe only has to stay open while this process lives.
    child.stdio[lifelineFd]?.on('error', () => undefined);
    let forwarded = false;
    const forward = (signal) => {
      // Once is enough: the command stops on the first, and a second (npm and the terminal both
      // pass Ctrl-C on) must not cut its shutdown short.
      if (forwarded || child.exitCode !== null || child.signalCode !== null) return;
      forwarded = true;
      child.kill(signal);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
    const parent = process.ppid;
    const watchParent = setInterval(() => {
      if (process.ppid !== parent) forward('SIGHUP');
    }, parentPollMs);
    watchParent.unref();
    // A reader that went away (`| tee` stopped by the same Ctrl-C) must not end us mid-shutdown.
    process.stderr.on('error', () => undefined);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(watchParent);
      child.stdio[lifelineFd]?.destroy();
      resolvePromise(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15) : 1));
    });
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  say(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
