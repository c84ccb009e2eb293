import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import type { S3Client } from '@aws-sdk/client-s3';
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

describe('s3ObjectStore with a client that answers the least S3 may', () => {
  /** An S3 client that answers each command with the next response given for its name. */
  function answering(responses: Record<string, unknown[]>): S3Client {
    return {
      send: async (command: { constructor: { name: string } }) => {
        const next = responses[command.constructor.name]?.shift();
        if (next instanceof Error) throw next;
        return next;
      },
    } as unknown as S3Client;
  }

  it('reads an object without metadata or ETag as having none', async () => {
    const store = s3ObjectStore(answering({ GetObjectCommand: [{ Body: Readable.from(['x']) }] }), 'b');
    expect(await store.get('k')).toMatchObject({ metadata: {}, eTag: '' });
  });

  it('refuses an answer without a readable body, naming the object', async () => {
    const store = s3ObjectStore(answering({ GetObjectCommand: [{}] }), 'b');
    await expect(store.get('k')).rejects.toThrow('s3://b/k returned no readable body');
  });

  it('passes on a failed head that is not a missing object', async () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    const store = s3ObjectStore(answering({ HeadObjectCommand: [denied, {}] }), 'b');
    await expect(store.head('k')).rejects.toThrow('Access Denied');
    expect(await store.head('k')).toEqual({ metadata: {}, size: 0 });
  });

  it('follows continuation tokens and skips entries without a key', async () => {
    const store = s3ObjectStore(
      answering({
        ListObjectsV2Command: [
          { Contents: [{ Key: 'p/1', Size: 1 }, {}], IsTruncated: true, NextContinuationToken: 't' },
          { Contents: [{ Key: 'p/2' }], IsTruncated: false },
        ],
      }),
      'b',
    );
    const keys: unknown[] = [];
    for await (const object of store.list('p/')) keys.push(object);
    expect(keys).toEqual([
      { key: 'p/1', size: 1 },
      { key: 'p/2', size: 0 },
    ]);
  });
});
