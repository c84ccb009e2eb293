import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

/**
 * The variable in which `packages/toolchain/run.mjs` names its lifeline's descriptor and its pid.
 *
 * As in `3:1234`: only its direct child has the descriptor.
 */
export const lifelineVariable = 'TOOLCHAIN_LIFELINE';

/**
 * Hangs this process up when the process that started it is gone.
 *
 * `run.mjs` (behind every npm script) passes a pipe whose other end it holds, and the kernel closes
 * that end however it ends, a `kill -9` included. Losing it raises SIGHUP here, so the command
 * stops the way a hang-up stops it (its servers in order), instead of running on with nobody to
 * stop it. Without the variable (run directly) it does nothing.
 */
export function watchLifeline(env: NodeJS.ProcessEnv = process.env): void {
  const [fd, wrapper] = (env[lifelineVariable] ?? '').split(':').map(Number);
  // What this process starts must not take the lifeline for theirs.
  delete env[lifelineVariable];
  // Started by something else (a test, a script run by the command): the descriptor is not ours.
  if (fd === undefined || !Number.isInteger(fd) || fd < 3 || wrapper !== process.ppid) return;
  let lifeline: Socket;
  try {
    if (!fstatSync(fd).isSocket()) return;
    lifeline = new Socket({ fd, readable: true, writable: false });
  } catch {
    return;
  }
  const hangUp = () => process.kill(process.pid, 'SIGHUP');
  lifeline.once('end', hangUp);
  lifeline.once('error', hangUp);
  lifeline.resume();
  lifeline.unref();
}
