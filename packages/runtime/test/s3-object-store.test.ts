import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { useTestPipeline } from '@totes/test-harness';
import { describe, expect, it } from 'vitest';
import { s3ObjectStore } from '../src/index';

describe('s3ObjectStore on the emulator', () => {
  const pipeline = useTestPipeline();
  const store = () => s3ObjectStore(pipeline().clients.s3, pipeline().names.ingestBucket);

  it('writes an object with metadata and reads it back', async () => {
    await store().put('a/one.jsonl', '{"x":1}\n', { rows: '1' });
    const read = await store().get('a/one.jsonl');
    expect(await text(read.body)).toBe('{"x":1}\n');
    expect(read.metadata).toEqual({ rows: '1' });
    expect(await store().head('a/one.jsonl')).toEqual({ metadata: { rows: '1' }, size: 8 });
    expect(await store().head('a/missing.jsonl')).toBeUndefined();
  });

  it('streams a body larger than a single PUT allows as a multipart upload', async () => {
    const line = `${'x'.repeat(1023)}\n`;
    const chunks = function* () {
      for (let i = 0; i < 20 * 1024; i += 1) yield line;
    };
    await store().put('big/twenty-mb.jsonl', Readable.from(chunks()));
    expect((await store().head('big/twenty-mb.jsonl'))?.size).toBe(20 * 1024 * 1024);
  });

  it('leaves no object behind when the body fails part-way', async () => {
    const failing = Readable.from(
      (async function* () {
        yield 'x'.repeat(9 * 1024 * 1024);
        throw new Error('the source went away');
      })(),
    );
    await expect(store().put('broken/object.jsonl', failing)).rejects.toThrow();
    expect(await store().head('broken/object.jsonl')).toBeUndefined();
  });

  it('lists keys under a prefix in order', async () => {
    for (const key of ['l/3', 'l/1', 'l/2', 'm/1']) await store().put(key, key);
    const keys: string[] = [];
    for await (const object of store().list('l/')) keys.push(object.key);
    expect(keys).toEqual(['l/1', 'l/2', 'l/3']);
  });
});
