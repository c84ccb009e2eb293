import { type FileHandle, open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { logFilesOf } from './log-sink';

/** Options of {@link readLog}. */
export interface ReadLogOptions {
  /** Keep reading the lines written after the end, until `signal` is aborted. */
  readonly follow?: boolean;
  readonly signal?: AbortSignal;
  /** How often a followed log is looked at (default 500 ms). */
  readonly intervalMs?: number;
}

const chunkBytes = 64 * 1024;

/**
 * Reads one file from `offset` to its end, passing on every complete line; returns the offset
 * after the last one (a line still being written is read on the next call).
 */
async function drain(handle: FileHandle, offset: number, onLine: (line: string) => void): Promise<number> {
  const buffer = Buffer.alloc(chunkBytes);
  let pending = Buffer.alloc(0);
  let position = offset;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, chunkBytes, position + pending.length);
    if (bytesRead === 0) return position;
    pending = Buffer.concat([pending, buffer.subarray(0, bytesRead)]);
    let newline = pending.indexOf(10);
    while (newline >= 0) {
      const line = pending.subarray(0, newline).toString('utf8');
      if (line !== '') onLine(line);
      position += newline + 1;
      pending = pending.subarray(newline + 1);
      newline = pending.indexOf(10);
    }
  }
}

async function drainFile(file: string, onLine: (line: string) => void): Promise<void> {
  const handle = await open(file, 'r').catch(() => undefined);
  try {
    if (handle) await drain(handle, 0, onLine);
  } finally {
    await handle?.close();
  }
}

/** The rotated files newer than the one with inode `ino`, oldest first (all of them if it is gone). */
async function rotatedSince(path: string, ino: number): Promise<readonly string[]> {
  const rotated = logFilesOf(path).filter((file) => file !== path);
  const inodes = await Promise.all(
    rotated.map((file) =>
      stat(file).then(
        (found) => found.ino,
        () => -1,
      ),
    ),
  );
  return rotated.slice(inodes.indexOf(ino) + 1);
}

/**
 * Passes on every line of the local log, oldest first.
 *
 * Its rotated files, then the log itself; with `follow`, then every line written to it afterwards.
 * A followed log that is rotated is read to its end under its new name before the new file is read
 * from its start, so no line is lost or read twice.
 */
export async function readLog(path: string, onLine: (line: string) => void, options: ReadLogOptions = {}) {
  const { follow = false, signal, intervalMs = 500 } = options;
  for (const file of logFilesOf(path).filter((file) => file !== path)) await drainFile(file, onLine);
  let handle: FileHandle | undefined;
  let offset = 0;
  try {
    for (;;) {
      if (!handle) {
        handle = await open(path, 'r').catch(() => undefined);
        offset = 0;
      }
      if (handle) {
        offset = await drain(handle, offset, onLine);
        const [reading, named] = await Promise.all([handle.stat(), stat(path).catch(() => undefined)]);
        if (named && named.ino !== reading.ino) {
          // Rotated: what was written to the old file since the last look, the files rotated
          // after it (when the log grew by more than a file meanwhile), then the new file.
          await drain(handle, offset, onLine);
          await handle.close();
          handle = undefined;
          for (const file of await rotatedSince(path, reading.ino)) await drainFile(file, onLine);
          continue;
        }
      }
      if (!follow || signal?.aborted) return;
      await sleep(intervalMs, undefined, signal ? { signal } : {}).catch(() => undefined);
      if (signal?.aborted) return;
    }
  } finally {
    await handle?.close();
  }
}
