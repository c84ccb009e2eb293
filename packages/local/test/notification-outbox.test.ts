import { appendFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testAws } from '@totes/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CreatedObject, emulatorQueueInspector, notificationOutbox } from '../src/index';

const created = (key: string): CreatedObject => ({
  bucket: 'local-totes-ingest',
  key,
  eventName: 'ObjectCreated:Put',
});

describe('the outbox of S3 notifications', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'totes-outbox-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps what is owed across runs, and not what was paid, despite a line cut short by a crash', () => {
    const file = join(dir, 'crash.log');
    const first = notificationOutbox(file);
    const a = first.owe(created('a'));
    const b = first.owe(created('b'));
    first.paid(a);
    first.paid(a);
    appendFileSync(file, '+{"id": 9, "obj');

    const second = notificationOutbox(file);
    expect(second.owed()).toEqual([{ id: b, object: created('b') }]);
    const c = second.owe(created('c'));
    expect(c).toBeGreaterThan(b);
    expect(second.owed().map((entry) => entry.object.key)).toEqual(['b', 'c']);
  });

  it('rewrites its file once it is mostly paid lines, keeping only what is owed', () => {
    const file = join(dir, 'compact.log');
    const outbox = notificationOutbox(file);
    const kept = outbox.owe(created('kept'));
    for (let index = 0; index < 1_500; index += 1) outbox.paid(outbox.owe(created(`paid-${index}`)));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(2_000);
    expect(notificationOutbox(file).owed()).toEqual([{ id: kept, object: created('kept') }]);
  });
});

describe("the emulator's view of a queue", () => {
  it('says which queue it could not show', async () => {
    const { endpoint } = testAws();
    await expect(emulatorQueueInspector(endpoint).messages('no-such-queue-to-inspect')).rejects.toThrow(
      `the emulator at ${endpoint} could not show queue no-such-queue-to-inspect: HTTP `,
    );
  });
});
