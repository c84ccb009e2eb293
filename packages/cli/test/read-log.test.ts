import { appendFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLog } from '../src/stack/read-log';

describe('reading the local log', () => {
  let dir: string;
  let path: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-read-log-'));
    path = join(dir, 'pipeline.log');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes on the rotated files oldest first, then the log, skipping blanks and a line still being written', async () => {
    await writeFile(`${path}.2`, 'a\n');
    await writeFile(`${path}.1`, 'b\n\nc\n');
    await writeFile(path, 'd\ne-being-writ');
    const lines: string[] = [];
    await readLog(path, (line) => lines.push(line));
    expect(lines).toEqual(['a', 'b', 'c', 'd']);
  });

  it('passes on nothing when there is no log yet', async () => {
    const lines: string[] = [];
    await readLog(path, (line) => lines.push(line));
    expect(lines).toEqual([]);
  });

  it('reads a line longer than one read whole', async () => {
    const long = 'x'.repeat(200_000);
    await writeFile(path, `${long}\nshort\n`);
    const lines: string[] = [];
    await readLog(path, (line) => lines.push(line));
    expect(lines.map((line) => line.length)).toEqual([200_000, 5]);
  });

  it('follows what is written, through a rotation, losing and repeating nothing, until aborted', async () => {
    await writeFile(path, 'first\n');
    const lines: string[] = [];
    const waiting: { count: number; resolve: () => void }[] = [];
    const seen = (count: number) =>
      new Promise<void>((resolve) => {
        if (lines.length >= count) resolve();
        else waiting.push({ count, resolve });
      });
    const abort = new AbortController();
    const reading = readLog(
      path,
      (line) => {
        lines.push(line);
        for (const wait of waiting.filter((w) => lines.length >= w.count)) wait.resolve();
      },
      { follow: true, signal: abort.signal, intervalMs: 5 },
    );
    await seen(1);
    await appendFile(path, 'second\npart');
    await seen(2);
    // Rotated as the sink does it: the rest of a line to the old file, which becomes .1, twice over.
    await appendFile(path, 'ial\n');
    await rename(path, `${path}.1`);
    await writeFile(path, 'in the new file\n');
    await seen(4);
    await rename(`${path}.1`, `${path}.2`);
    await rename(path, `${path}.1`);
    await writeFile(path, 'after two rotations\n');
    await seen(5);
    abort.abort();
    await reading;
    expect(lines).toEqual(['first', 'second', 'partial', 'in the new file', 'after two rotations']);
  });
});
